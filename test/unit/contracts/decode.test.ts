import { describe, expect, it } from 'vitest';
import {
  MESSAGE_SCHEMAS,
  decodeMessage,
  encodeMessage,
  type DecodeErrorCode,
  type MessageName,
} from '../../../backend/contracts/index.js';
import { assessmentTask, deadLetter, detectionResult, riskResult } from '../../support/messageFixtures.js';

const valid: Record<MessageName, () => Record<string, unknown>> = {
  DetectionResultMessage: detectionResult,
  AssessmentTaskMessage: assessmentTask,
  RiskAssessmentResultMessage: riskResult,
  DeadLetterMessage: deadLetter,
};

const encoder = new TextEncoder();

describe('contracts > decode', () => {
  for (const [name, make] of Object.entries(valid) as [MessageName, () => Record<string, unknown>][]) {
    it(`round-trips a ${name} through bytes unchanged`, () => {
      const schema = MESSAGE_SCHEMAS[name];
      const encoded = encodeMessage(schema, make() as never);
      expect(encoded.ok).toBe(true);
      if (!encoded.ok) return;
      const decoded = decodeMessage(schema, encoder.encode(encoded.value));
      expect(decoded).toEqual({ ok: true, value: make() });
    });
  }

  it('keeps snake_case field names on the wire', () => {
    const encoded = encodeMessage(MESSAGE_SCHEMAS.AssessmentTaskMessage, assessmentTask());
    expect(encoded.ok && encoded.value).toContain('"deadline_ms"');
  });

  it('tolerates fields added by a newer producer of the same version (and drops them)', () => {
    const decoded = decodeMessage(MESSAGE_SCHEMAS.RiskAssessmentResultMessage, JSON.stringify({ ...riskResult(), extra_field: 1 }));
    expect(decoded.ok && 'extra_field' in decoded.value).toBe(false);
    expect(decoded.ok).toBe(true);
  });

  type BadCase = [label: string, name: MessageName, input: Uint8Array | string, code: DecodeErrorCode, path: string | null];
  const task = assessmentTask();
  const detection = detectionResult();
  const bad: BadCase[] = [
    ['empty input', 'AssessmentTaskMessage', '', 'invalid_json', null],
    ['truncated JSON', 'AssessmentTaskMessage', JSON.stringify(task).slice(0, 40), 'invalid_json', null],
    ['invalid UTF-8', 'AssessmentTaskMessage', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'invalid_utf8', null],
    ['a JSON array', 'AssessmentTaskMessage', '[1,2]', 'invalid_message', null],
    ['JSON null', 'AssessmentTaskMessage', 'null', 'invalid_message', null],
    ['a bare string', 'DeadLetterMessage', '"hello"', 'invalid_message', null],
    ['a newer schema_version', 'AssessmentTaskMessage', JSON.stringify({ ...task, schema_version: 2 }), 'unsupported_schema_version', 'schema_version'],
    ['no schema_version', 'RiskAssessmentResultMessage', JSON.stringify({ ...riskResult(), schema_version: undefined }), 'unsupported_schema_version', 'schema_version'],
    ['schema_version as a string', 'DeadLetterMessage', JSON.stringify({ ...deadLetter(), schema_version: '1' }), 'unsupported_schema_version', 'schema_version'],
    ['a missing task_id', 'AssessmentTaskMessage', JSON.stringify({ ...task, task_id: undefined }), 'invalid_message', 'task_id'],
    ['a task_id that is not a UUID', 'AssessmentTaskMessage', JSON.stringify({ ...task, task_id: 'abc' }), 'invalid_message', 'task_id'],
    ['a priority above 9', 'AssessmentTaskMessage', JSON.stringify({ ...task, priority: 10 }), 'invalid_message', 'priority'],
    ['a fractional priority', 'AssessmentTaskMessage', JSON.stringify({ ...task, priority: 2.5 }), 'invalid_message', 'priority'],
    ['a deadline before creation', 'AssessmentTaskMessage', JSON.stringify({ ...task, deadline_ms: 1 }), 'invalid_message', 'deadline_ms'],
    ['a camera id with spaces', 'AssessmentTaskMessage', JSON.stringify({ ...task, camera_id: 'cam 1' }), 'invalid_message', 'camera_id'],
    ['a negative timestamp', 'AssessmentTaskMessage', JSON.stringify({ ...task, captured_at_ms: -5 }), 'invalid_message', 'captured_at_ms'],
    ['an inverted box', 'DetectionResultMessage', JSON.stringify({ ...detection, detections: [{ ...detection.detections[0], box: [10, 10, 5, 20] }] }), 'invalid_message', 'detections[0].box'],
    ['a box with three numbers', 'DetectionResultMessage', JSON.stringify({ ...detection, tracks: [{ ...detection.tracks[0], box: [1, 2, 3] }] }), 'invalid_message', 'tracks[0].box'],
    ['a score above 1', 'DetectionResultMessage', JSON.stringify({ ...detection, detections: [{ ...detection.detections[0], score: 1.5 }] }), 'invalid_message', 'detections[0].score'],
    ['a group with no tracks', 'DetectionResultMessage', JSON.stringify({ ...detection, groups: [{ ...detection.groups[0], track_ids: [] }] }), 'invalid_message', 'groups[0].track_ids'],
    ['a crop that is not base64', 'DetectionResultMessage', JSON.stringify({ ...detection, thumbnail_jpeg_b64: 'not base64!' }), 'invalid_message', 'thumbnail_jpeg_b64'],
    ['an unknown risk level', 'RiskAssessmentResultMessage', JSON.stringify({ ...riskResult(), risk_level: 'extreme' }), 'invalid_message', 'risk_level'],
    ['a risk score as a string', 'RiskAssessmentResultMessage', JSON.stringify({ ...riskResult(), risk_score: '0.5' }), 'invalid_message', 'risk_score'],
    ['an unknown assessor type', 'RiskAssessmentResultMessage', JSON.stringify({ ...riskResult(), assessor: { type: 'oracle', model: null, key_name: null } }), 'invalid_message', 'assessor.type'],
    ['a numeric DLQ offset', 'DeadLetterMessage', JSON.stringify({ ...deadLetter(), original: { ...deadLetter().original, offset: 5 } }), 'invalid_message', 'original.offset'],
    ['zero DLQ attempts', 'DeadLetterMessage', JSON.stringify({ ...deadLetter(), attempts: 0 }), 'invalid_message', 'attempts'],
  ];

  for (const [label, name, input, code, path] of bad) {
    it(`rejects ${label} with ${code}`, () => {
      const result = decodeMessage(MESSAGE_SCHEMAS[name], input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(code);
      expect(result.error.path).toBe(path);
      expect(result.error.message.length).toBeGreaterThan(0);
    });
  }

  it('rejects a message over the size limit before parsing it', () => {
    const huge = JSON.stringify({ ...detectionResult(), model: 'x'.repeat(2 * 1024 * 1024) });
    const result = decodeMessage(MESSAGE_SCHEMAS.DetectionResultMessage, encoder.encode(huge));
    expect(result).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it('honours a custom size limit on both decode and encode', () => {
    const text = JSON.stringify(assessmentTask());
    expect(decodeMessage(MESSAGE_SCHEMAS.AssessmentTaskMessage, text, { maxBytes: 100 })).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(encodeMessage(MESSAGE_SCHEMAS.AssessmentTaskMessage, assessmentTask(), { maxBytes: 100 })).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it('refuses to encode a message that consumers would reject', () => {
    const result = encodeMessage(MESSAGE_SCHEMAS.AssessmentTaskMessage, { ...assessmentTask(), priority: 99 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_message', path: 'priority' } });
  });

  it('never throws, whatever bytes arrive', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const base = encoder.encode(JSON.stringify(detectionResult()));
    for (let round = 0; round < 300; round++) {
      const bytes = base.slice(0, Math.floor(random() * base.length));
      for (let flips = 0; flips < 3; flips++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      for (const schema of Object.values(MESSAGE_SCHEMAS)) {
        const result = decodeMessage(schema, bytes);
        expect(typeof result.ok).toBe('boolean');
      }
    }
  });
});
