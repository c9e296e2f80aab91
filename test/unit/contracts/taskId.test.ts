import { describe, expect, it } from 'vitest';
import { createTaskId } from '../../../backend/contracts/index.js';

describe('contracts > taskId', () => {
  it('is the same for the same camera, frame and group', () => {
    expect(createTaskId('cam-1', 'f-1', 'g1')).toBe(createTaskId('cam-1', 'f-1', 'g1'));
  });

  it('matches Python uuid.uuid5 over the percent-encoded parts (interop with the original services)', () => {
    // python3: uuid.uuid5(UUID(TASK_ID_NAMESPACE), '/'.join(quote(p, safe="-_.!~*'()") for p in parts))
    expect(createTaskId('cam-1', '1700000000000-1', 'g1')).toBe('114484f9-c2c3-5d2d-ace2-a3e8a3d33fae');
    expect(createTaskId('cam/x', 'f 1', 'g:1')).toBe('78e3e073-3432-5595-be9f-4654da7eb034');
  });

  it('differs when any part differs, including where a separator could shift', () => {
    const ids = new Set([
      createTaskId('cam-1', 'f-1', 'g1'),
      createTaskId('cam-1', 'f-1', 'g2'),
      createTaskId('cam-1', 'f-2', 'g1'),
      createTaskId('cam-2', 'f-1', 'g1'),
      createTaskId('a/b', 'c', 'd'),
      createTaskId('a', 'b/c', 'd'),
    ]);
    expect(ids.size).toBe(6);
  });

  it('is a version 5 UUID', () => {
    expect(createTaskId('c', 'f', 'g')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
