// Keeps secrets out of everything a person or a log file can read: masking, URL credentials, field names.

/** Field names whose values are secrets wherever they appear (config, log fields, error details). */
export const SECRET_FIELD_NAMES: readonly string[] = ['api_key', 'apiKey', 'password', 'token', 'secret', 'authorization'];

const SECRET_FIELDS = new Set(SECRET_FIELD_NAMES.map((name) => name.toLowerCase()));

export function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(name.toLowerCase());
}

/**
 * `sk-test-aaaa1111` → `sk-…1111`: the vendor prefix (up to 3 characters before a dash) and never more
 * than the last 4 characters, and nothing at all of a value too short to hide anything.
 */
export function maskSecret(value: string): string {
  if (value.length < 12) return '…';
  const prefixMatch = /^([A-Za-z]{1,3}-)/.exec(value);
  const prefix = prefixMatch ? prefixMatch[1] : '';
  return `${prefix}…${value.slice(-4)}`;
}

/** `rtsp://admin:hunter2@10.0.0.5/stream` → `rtsp://***@10.0.0.5/stream`; other strings are returned as they are. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}

/** Deep copy of `value` with every secret field masked and URL credentials removed from every string. */
export function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSecretField(key) && typeof inner === 'string' ? maskSecret(inner) : redactDeep(inner);
    }
    return out;
  }
  return value;
}

/**
 * Secret values known at run time (API keys read from the environment). Anything written through the
 * logger is scrubbed of them, so a key that reaches a log line by an unexpected route is still masked.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string): void {
    // Short values would mask ordinary words; config validation refuses keys this short anyway.
    if (value.length >= 8) this.values.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join(maskSecret(value));
    }
    return out;
  }
}

export const knownSecrets = new SecretRegistry();
