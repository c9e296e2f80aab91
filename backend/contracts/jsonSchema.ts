// JSON Schema (draft 2020-12) of each wire message, so producers in other languages can validate too.
import { z } from 'zod';
import { MESSAGE_SCHEMAS, type MessageName } from './messages.js';

const SCHEMA_BASE_ID = 'https://traffic-control-room.invalid/contracts/';

/**
 * zod refuses non-finite numbers, but JSON Schema's `number` admits what other languages parse 1e400 into
 * (Python: inf); explicit finite bounds make the schema refuse it too.
 */
function boundNumbers({ jsonSchema }: { jsonSchema: Record<string, unknown> }): void {
  if (jsonSchema.type !== 'number' || 'const' in jsonSchema) return;
  if (jsonSchema.minimum === undefined && jsonSchema.exclusiveMinimum === undefined) jsonSchema.minimum = -Number.MAX_VALUE;
  if (jsonSchema.maximum === undefined && jsonSchema.exclusiveMaximum === undefined) jsonSchema.maximum = Number.MAX_VALUE;
}

export function messageJsonSchema(name: MessageName): Record<string, unknown> {
  const generated = z.toJSONSchema(MESSAGE_SCHEMAS[name], { target: 'draft-2020-12', io: 'input', unrepresentable: 'any', override: boundNumbers });
  return { $id: `${SCHEMA_BASE_ID}${name}.schema.json`, title: name, ...generated };
}

/** File name → pretty-printed JSON text, exactly as checked into docs/contracts/. */
export function messageJsonSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of Object.keys(MESSAGE_SCHEMAS) as MessageName[]) {
    files.set(`${name}.schema.json`, `${JSON.stringify(messageJsonSchema(name), null, 2)}\n`);
  }
  return files;
}
