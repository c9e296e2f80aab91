// The exported JSON Schemas, used as another team would: Python's jsonschema on the shared example vectors.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Vector {
  name: string;
  message: string;
  json_schema: 'valid' | 'invalid' | 'not_json';
}

const contracts = fileURLToPath(new URL('../../../docs/contracts/', import.meta.url));
const script = fileURLToPath(new URL('../../../tools/contracts/validate_examples.py', import.meta.url));

describe('contracts > JSON Schema in Python (jsonschema)', () => {
  it('gives every example vector the verdict the vectors list for JSON Schema', () => {
    const vectors = JSON.parse(readFileSync(`${contracts}examples/vectors.json`, 'utf8')) as Vector[];
    // .ci/run installs jsonschema; a machine without it fails here, saying so in stderr.
    const verdicts = JSON.parse(execFileSync('python3', [script, contracts], { encoding: 'utf8' })) as { name: string; message: string; valid: boolean; errors: string[] }[];
    const expected = vectors.filter((vector) => vector.json_schema !== 'not_json');
    expect(verdicts.map(({ message, name, valid }) => ({ message, name, valid }))).toEqual(expected.map(({ message, name, json_schema }) => ({ message, name, valid: json_schema === 'valid' })));
  });
});
