// zod issues → one plain sentence per problem, with the path split per unknown field and a spelling hint.
import type { z } from 'zod';
import type { Path } from './envSubstitution.js';

export interface FieldProblem {
  path: Path;
  message: string;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The object keys the schema accepts at `path` (empty when the path leaves the objects). */
export function knownKeysAt(schema: z.ZodType, path: Path): string[] {
  let current: z.ZodType | undefined = schema;
  let remaining = [...path];
  while (current) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (remaining.length === 0) return def.shape ? Object.keys(def.shape) : [];
    else if (def.type === 'object' && def.shape) {
      current = def.shape[String(remaining[0])];
      remaining = remaining.slice(1);
    } else if (def.type === 'array' && def.element) {
      current = def.element;
      remaining = remaining.slice(1);
    } else return [];
  }
  return [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = kept;
    }
  }
  return row[b.length]!;
}

export function closestKey(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return issue.message;
  }
}

export function problemsFromZod(schema: z.ZodType, error: z.ZodError): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of issue.keys) {
        const hint = closestKey(key, known);
        problems.push({ path: [...path, key], message: `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}` });
      }
    } else {
      problems.push({ path, message: describeIssue(issue) });
    }
  }
  return problems;
}
