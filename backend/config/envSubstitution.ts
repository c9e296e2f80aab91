// `${VAR}` and `${VAR:-fallback}` in config strings, and the refusal of secrets written into files.
import { isSecretField } from '../core/redact.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type Path = (string | number)[];

export interface SubstitutionProblem {
  path: Path;
  message: string;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const ONLY_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;
/** Shapes of provider keys that must never sit in a file in plain text (DashScope/OpenAI `sk-…`). */
const KEY_LOOKING = /\bsk-[A-Za-z0-9_-]{12,}/;

function substituteString(text: string, env: Env, path: Path, problems: SubstitutionProblem[]): string {
  return text.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    problems.push({ path, message: `environment variable ${name} is not set` });
    return '';
  });
}

/** Returns a copy of `value` with every reference replaced; each unset variable without fallback is a problem. */
export function substituteEnv(value: unknown, env: Env, problems: SubstitutionProblem[], path: Path = []): unknown {
  if (typeof value === 'string') return substituteString(value, env, path, problems);
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, problems, [...path, index]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = substituteEnv(inner, env, problems, [...path, key]);
    return out;
  }
  return value;
}

/**
 * Secret fields must be a `${VAR}` reference, and no field may hold something shaped like a provider key,
 * unless the file opts out. Checked on the raw document, before substitution, so env values are not judged.
 */
export function findPlaintextSecrets(value: unknown, problems: SubstitutionProblem[], path: Path = []): void {
  if (typeof value === 'string') {
    const field = path[path.length - 1];
    const isSecret = typeof field === 'string' && isSecretField(field);
    if (isSecret && value !== '' && !ONLY_REFERENCE.test(value)) {
      problems.push({ path, message: 'a secret written in the file: use ${ENV_VAR} (or set allow_plaintext_keys: true)' });
    } else if (!isSecret && KEY_LOOKING.test(value.replace(REFERENCE, ''))) {
      problems.push({ path, message: 'looks like an API key written in the file: use ${ENV_VAR} (or set allow_plaintext_keys: true)' });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => findPlaintextSecrets(item, problems, [...path, index]));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) findPlaintextSecrets(inner, problems, [...path, key]);
  }
}
