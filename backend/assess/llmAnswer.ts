// Reads the model's answer into a verdict: models wrap JSON in prose or code fences, and may leave out fields or
// put values out of range; each problem is named, for the repair request and for the dead letter.
import { verdictSchema, type Verdict } from './verdict.js';

export type ParsedAnswer = { ok: true; verdict: Verdict } | { ok: false; problem: string };

/** The outermost {...} of the text: models often add a sentence or a ```json fence around the object. */
function jsonObjectText(text: string): string | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : null;
}

export function parseAnswer(text: string): ParsedAnswer {
  const objectText = jsonObjectText(text);
  if (objectText === null) return { ok: false, problem: 'the answer holds no JSON object' };
  let value: unknown;
  try {
    value = JSON.parse(objectText);
  } catch (error) {
    return { ok: false, problem: `the answer is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  // Extra keys a model adds are ignored; what the result needs must be there and in range.
  const known = typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).filter(([key]) => key in verdictSchema.shape)) : value;
  const parsed = verdictSchema.safeParse(known);
  if (parsed.success) return { ok: true, verdict: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`);
  return { ok: false, problem: `the answer does not match the result format: ${issues.join('; ')}` };
}
