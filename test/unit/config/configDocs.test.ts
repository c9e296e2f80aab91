import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../../backend/config/configDocs.js';

describe('config > configDocs', () => {
  const docs = renderConfigDocs();

  it('docs/CONFIG.md is current (run `npm run docs:config` after a schema change)', () => {
    expect(readFileSync(new URL('../../../docs/CONFIG.md', import.meta.url), 'utf8')).toBe(docs);
  });

  it('documents nested options, list items and required fields of both files', () => {
    expect(docs).toContain('| `kafka.topics.assessment_tasks.partitions` | integer (> 0) | `32` |');
    expect(docs).toContain('| `cameras[].url` | string | **required** |');
    expect(docs).toContain('| `keys[].qps_limit` | number (> 0) | **required** |');
    expect(docs).toContain('| `strategy` | `round_robin` \\| `least_load` \\| `priority` | `"least_load"` |');
  });
});
