// The protobuf wire format, just enough to rewrite a few fields of an ONNX file and keep every other byte as it
// is. A schema-driven library (protobufjs with onnx.proto) would drop fields newer than its copy of the schema
// (functions, metadata, training info), and a model must come out the same apart from the shapes changed.

export interface ProtoField {
  number: number;
  wireType: number;
  /** For length-delimited fields, the payload; otherwise the raw value bytes. */
  value: Buffer;
}

export class ProtoError extends Error {}

function readVarint(bytes: Buffer, at: number): [bigint, number] {
  let result = 0n;
  for (let shift = 0n, i = at; i < bytes.length && shift < 70n; i++, shift += 7n) {
    result |= BigInt(bytes[i]! & 0x7f) << shift;
    if ((bytes[i]! & 0x80) === 0) return [result, i + 1];
  }
  throw new ProtoError(`truncated varint at byte ${at}`);
}

export function encodeVarint(value: bigint): Buffer {
  const out: number[] = [];
  let rest = BigInt.asUintN(64, value);
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return Buffer.from(out);
}

export function parseFields(bytes: Buffer): ProtoField[] {
  const fields: ProtoField[] = [];
  for (let at = 0; at < bytes.length; ) {
    const [key, afterKey] = readVarint(bytes, at);
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    let end: number;
    let start = afterKey;
    if (wireType === 0) end = readVarint(bytes, afterKey)[1];
    else if (wireType === 1) end = afterKey + 8;
    else if (wireType === 5) end = afterKey + 4;
    else if (wireType === 2) {
      const [length, afterLength] = readVarint(bytes, afterKey);
      start = afterLength;
      end = afterLength + Number(length);
    } else throw new ProtoError(`unsupported wire type ${wireType} at byte ${at}`);
    if (end > bytes.length) throw new ProtoError(`field ${number} runs past the end (byte ${end} of ${bytes.length})`);
    fields.push({ number, wireType, value: bytes.subarray(start, end) });
    at = end;
  }
  return fields;
}

export function serializeFields(fields: readonly ProtoField[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    parts.push(encodeVarint(BigInt((field.number << 3) | field.wireType)));
    if (field.wireType === 2) parts.push(encodeVarint(BigInt(field.value.length)));
    parts.push(field.value);
  }
  return Buffer.concat(parts);
}

export const varintValue = (field: ProtoField): bigint => readVarint(field.value, 0)[0];
