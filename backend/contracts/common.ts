// Building blocks shared by the wire messages: ids, boxes, timestamps, traffic classes.
import { z } from 'zod';

/** Every message on the bus carries this; a consumer refuses versions it does not know. */
export const SCHEMA_VERSION = 1 as const;
export const schemaVersion = z.literal(SCHEMA_VERSION).describe('Message schema version; consumers refuse others.');

/** Camera ids are Kafka keys and file names: keep them short and printable. */
export const cameraId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits, . _ : - (1–64, starting with a letter or digit)')
  .describe('Camera id, unique in the installation; Kafka key of per-camera topics.');

/** Matches only lone surrogates (with the u flag a paired one is a single code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const NOT_IN_JSON_SCHEMA = 'JSON Schema cannot say this; consumers refuse it';

/**
 * Text that must be real Unicode: JSON's `\ud800` escapes can carry lone surrogates, which have no UTF-8 form and
 * break what is derived from the text (task ids, file names, SQLite rows).
 */
export function wellFormed(schema: z.ZodString): z.ZodString {
  return schema.refine((text) => !LONE_SURROGATE.test(text), { message: 'expected well-formed Unicode (a lone surrogate was found)' });
}

/** A frame id is unique per camera across restarts (the detection stage uses capture time + sequence). */
export const frameId = wellFormed(z.string().min(1).max(128)).describe(`Frame id, unique per camera across restarts; well-formed Unicode (${NOT_IN_JSON_SCHEMA}).`);
export const groupId = wellFormed(z.string().min(1).max(128)).describe(`Group id, unique within its frame (${NOT_IN_JSON_SCHEMA}); well-formed Unicode.`);

export const epochMs = z.number().int().nonnegative().describe('Milliseconds since the Unix epoch (UTC).');

/** `[x1, y1, x2, y2]` in the source frame's own pixels, x1 ≤ x2 and y1 ≤ y2. */
export const box = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .refine(([x1, y1, x2, y2]) => x1 <= x2 && y1 <= y2, { message: 'expected x1 <= x2 and y1 <= y2' })
  .describe(`[x1, y1, x2, y2] in source-frame pixels, x1 <= x2 and y1 <= y2 (${NOT_IN_JSON_SCHEMA}).`);

export const TRAFFIC_CLASSES = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'] as const;
/** Class names are open (models differ); the traffic classes above are the defaults kept by detection. */
export const className = wellFormed(z.string().min(1).max(64)).describe('Detector class name, e.g. person, car, bus; well-formed Unicode.');

export const score01 = z.number().min(0).max(1);

const BASE64_PATTERN = '^[A-Za-z0-9+/]*={0,2}$';
const BASE64_CHARS = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_CHARS[char.charCodeAt(0)] = 1;

/**
 * What BASE64_PATTERN says, in half the time of the regex: every stage checks every image it reads or writes, and
 * on a busy site the regex alone took a tenth of the expander's and the gateway's CPU.
 */
export function isBase64Text(text: string): boolean {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  for (let index = 0; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code > 127 || BASE64_CHARS[code] === 0) return false;
  }
  return true;
}

/** Base64 JPEG bytes, bounded so one image cannot blow up a message (the whole message has a limit too). */
export const jpegBase64 = z
  .string()
  .max(512 * 1024)
  .refine(isBase64Text, 'base64')
  // The pattern for the JSON Schema other languages validate with; zod checks it with isBase64Text.
  .meta({ pattern: BASE64_PATTERN })
  .describe('JPEG image, base64 (at most 512 KiB of text).');
