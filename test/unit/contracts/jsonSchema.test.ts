import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageJsonSchema, messageJsonSchemaFiles } from '../../../backend/contracts/index.js';

const dir = new URL('../../../docs/contracts/', import.meta.url);

describe('contracts > jsonSchema', () => {
  it('docs/contracts holds exactly the current schemas (run `npm run contracts:export` after a change)', () => {
    const expected = messageJsonSchemaFiles();
    expect(readdirSync(dir).filter((name) => name.endsWith('.schema.json')).sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(new URL(name, dir), 'utf8'), name).toBe(text);
  });

  it('describes constraints other languages can check (version, UUID, bounds)', () => {
    const schema = messageJsonSchema('AssessmentTaskMessage') as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(schema.properties.schema_version).toMatchObject({ const: 1 });
    expect(schema.properties.task_id).toMatchObject({ format: 'uuid' });
    expect(schema.properties.priority).toMatchObject({ minimum: 0, maximum: 9 });
    expect(schema.required).toContain('deadline_ms');
  });
});
