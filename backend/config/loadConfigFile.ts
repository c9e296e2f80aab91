// Reads one YAML config file: parse, refuse plaintext secrets, substitute ${VAR}, validate strictly.
import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { isSecretField } from '../core/redact.js';
import { formatPath } from '../contracts/index.js';
import { findPlaintextSecrets, substituteEnv, type Env, type Path, type SubstitutionProblem } from './envSubstitution.js';
import { problemsFromZod } from './zodIssues.js';

export interface LoadOptions {
  env: Env;
}

function rangeOf(doc: Document, path: Path): [number, number] | null {
  let node: unknown = doc.contents;
  let range: [number, number] | null = null;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === part);
      if (!pair) break;
      const keyRange = (pair.key as Node | null)?.range;
      if (keyRange) range = [keyRange[0], keyRange[1]];
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      const itemRange = (node as Node | undefined)?.range;
      if (itemRange) range = [itemRange[0], itemRange[1]];
    } else break;
  }
  return range;
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** What the file actually held at a failing path, never echoing a secret or a long string. */
function describeReceived(value: unknown, path: Path): string {
  const field = path[path.length - 1];
  if (typeof field === 'string' && isSecretField(field)) return `got a ${typeof value}`;
  if (typeof value === 'string') return `got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return `got ${String(value)}`;
  return `got ${Array.isArray(value) ? 'a list' : 'a mapping'}`;
}

function toProblem(file: string, doc: Document, counter: LineCounter, path: Path, message: string): ConfigProblem {
  const range = rangeOf(doc, path);
  const position = range ? counter.linePos(range[0]) : undefined;
  return { file, path: formatPath(path), message, line: position?.line, column: position?.col };
}

export function parseConfigText<S extends z.ZodType>(file: string, text: string, schema: S, options: LoadOptions): z.infer<S> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const position = counter.linePos(error.pos[0]);
        return { file, path: '', message: `not valid YAML: ${error.message.split('\n')[0]}`, line: position.line, column: position.col };
      }),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  const problems: SubstitutionProblem[] = [];
  const allowPlaintext = (raw as { allow_plaintext_keys?: unknown }).allow_plaintext_keys === true;
  if (!allowPlaintext) findPlaintextSecrets(raw, problems);
  const substituted = substituteEnv(raw, options.env, problems);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => toProblem(file, doc, counter, problem.path, problem.message)));

  const parsed = schema.safeParse(substituted);
  if (parsed.success) return parsed.data;
  const fieldProblems = problemsFromZod(schema, parsed.error).map((problem) => {
    if (problem.message.startsWith('unknown field')) return toProblem(file, doc, counter, problem.path, problem.message);
    const value = valueAt(substituted, problem.path);
    const message = value === undefined ? `missing, ${problem.message}` : `${problem.message}, ${describeReceived(value, problem.path)}`;
    return toProblem(file, doc, counter, problem.path, message);
  });
  throw new ConfigError(fieldProblems);
}

export function loadConfigFile<S extends z.ZodType>(file: string, schema: S, options: LoadOptions): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}`;
    throw new ConfigError([{ file, path: '', message: reason }]);
  }
  return parseConfigText(file, text, schema, options);
}
