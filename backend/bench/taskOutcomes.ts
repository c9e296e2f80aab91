// What became of each task of a benchmark, read as an operator's consumer reads it (read_committed): its results on
// risk-assessment-results and its dead letters, with when each was seen. Exactly once means one outcome per task.
import type { Consumer, Kafka } from 'kafkajs';
import { deadLetterMessage, decodeMessage, riskAssessmentResultMessage } from '../contracts/index.js';

export interface TaskOutcome {
  kind: 'result' | 'dead_letter';
  /** Result status, or the dead letter's error code. */
  detail: string;
  seenAtMs: number;
}

export interface OutcomeReader {
  readonly byTask: Map<string, TaskOutcome[]>;
  /** Outcomes whose message could not be read as ours (not counted per task). */
  unreadable(): number;
  stop(): Promise<void>;
}

function taskIdOfDeadLetter(value: Buffer): string | null {
  const letter = decodeMessage(deadLetterMessage, value);
  if (!letter.ok || letter.value.original.value_b64 === null) return null;
  try {
    const original = JSON.parse(Buffer.from(letter.value.original.value_b64, 'base64').toString('utf8')) as { task_id?: unknown };
    return typeof original.task_id === 'string' ? `${original.task_id}|${letter.value.error.code}` : null;
  } catch {
    return null;
  }
}

export async function readTaskOutcomes(kafka: Kafka, group: string, resultsTopic: string, dlqTopic: string): Promise<OutcomeReader> {
  const byTask = new Map<string, TaskOutcome[]>();
  let unreadable = 0;
  const add = (taskId: string, outcome: TaskOutcome): void => {
    byTask.set(taskId, [...(byTask.get(taskId) ?? []), outcome]);
  };
  const consumer: Consumer = kafka.consumer({ groupId: group, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [resultsTopic, dlqTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const seenAtMs = Date.now();
      if (message.value === null) return void unreadable++;
      if (topic === resultsTopic) {
        const result = decodeMessage(riskAssessmentResultMessage, message.value);
        if (!result.ok) return void unreadable++;
        return add(result.value.task_id, { kind: 'result', detail: `${result.value.status}:${result.value.assessor.type}`, seenAtMs });
      }
      const letter = taskIdOfDeadLetter(message.value);
      if (letter === null) return void unreadable++;
      const [taskId, code] = letter.split('|') as [string, string];
      add(taskId, { kind: 'dead_letter', detail: code, seenAtMs });
    },
  });
  return { byTask, unreadable: () => unreadable, stop: () => consumer.disconnect() };
}
