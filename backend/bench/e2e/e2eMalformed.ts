// The malformed burst: what another team's producer could write to each consumed topic, each record keyed so its
// one dead letter can be found again, with the reason the stage owes it.
import type { Producer } from 'kafkajs';

export const MALFORMED_KEY_PREFIX = 'e2e-malformed-';

const KINDS: { reason: string; value: Buffer | null }[] = [
  { reason: 'invalid_json', value: Buffer.from('{"schema_version": 1, "camera_id": ') },
  { reason: 'invalid_utf8', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
  { reason: 'unsupported_schema_version', value: Buffer.from('{"schema_version": 99}') },
  { reason: 'invalid_message', value: Buffer.from('{"schema_version": 1, "camera_id": 12, "captured_at_ms": "yesterday"}') },
  { reason: 'tombstone', value: null },
];

export interface MalformedSent {
  key: string;
  topic: string;
  reason: string;
}

/** Writes `perTopic` records to each topic, the kinds in turn; returns what it wrote. */
export async function writeMalformed(producer: Producer, topics: readonly string[], perTopic: number): Promise<MalformedSent[]> {
  const sent: MalformedSent[] = [];
  for (const topic of topics) {
    const messages = Array.from({ length: perTopic }, (_, n) => {
      const kind = KINDS[n % KINDS.length]!;
      const key = `${MALFORMED_KEY_PREFIX}${topic}-${n}`;
      sent.push({ key, topic, reason: kind.reason });
      return { key, value: kind.value };
    });
    await producer.send({ topic, messages });
  }
  return sent;
}
