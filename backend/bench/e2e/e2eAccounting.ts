// Accounting that cannot lie: every task the expander committed (assessment-tasks read as an operator reads it,
// read_committed), every verdict committed on risk-assessment-results, every dead letter, and the rows of the
// results store at the end. `lost` and `duplicates` are counted from these, never assumed.
import Database from 'better-sqlite3';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { assessmentTaskMessage, deadLetterMessage, decodeMessage, riskAssessmentResultMessage } from '../../contracts/index.js';
import { MALFORMED_KEY_PREFIX, type MalformedSent } from './e2eMalformed.js';

export interface CommittedTask {
  cameraId: string;
  capturedAtMs: number;
  /** When the expander made it (the task's created_at_ms). */
  createdAtMs: number;
  /** How often the expander committed it (more than once is a duplicate). */
  copies: number;
}

export interface DeadLetterSeen {
  stage: string;
  code: string;
  topic: string;
  key: string | null;
  taskId: string | null;
}

export interface SiteRecords {
  readonly tasks: Map<string, CommittedTask>;
  /** Committed verdicts per task id. */
  readonly verdicts: Map<string, number>;
  readonly deadLetters: DeadLetterSeen[];
  /** Records on the tasks topic that are not tasks (the malformed burst). */
  notTasks(): number;
  /** Whether this reader has read every partition of its topics to the end (its position at the high watermark). */
  caughtUp(admin: Admin): Promise<boolean>;
  stop(): Promise<void>;
}

function taskIdOf(valueB64: string | null): string | null {
  if (valueB64 === null) return null;
  try {
    const original = JSON.parse(Buffer.from(valueB64, 'base64').toString('utf8')) as { task_id?: unknown };
    return typeof original.task_id === 'string' ? original.task_id : null;
  } catch {
    return null;
  }
}

export async function readSiteRecords(kafka: Kafka, group: string, topics: { tasks: string; results: string; dlq: string }): Promise<SiteRecords> {
  const tasks = new Map<string, CommittedTask>();
  const verdicts = new Map<string, number>();
  const deadLetters: DeadLetterSeen[] = [];
  let notTasks = 0;
  const consumer: Consumer = kafka.consumer({ groupId: group, readUncommitted: false, sessionTimeout: 30_000, maxWaitTimeInMs: 500 });
  // Where each partition was read to, batches of transaction markers only included (kafkajs gives those no messages).
  const positions = new Map<string, bigint>();
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.lastOffset === null) return;
    const key = `${payload.topic}:${payload.partition}`;
    const next = BigInt(payload.lastOffset) + 1n;
    if (next > (positions.get(key) ?? 0n)) positions.set(key, next);
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.tasks, topics.results, topics.dlq], fromBeginning: true });
  // A consumer that rejoins (after a broker restart) may be handed records again: each position counts once.
  const seen = new Set<string>();
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const position = `${topic}:${partition}:${message.offset}`;
      if (seen.has(position)) return;
      seen.add(position);
      if (topic === topics.tasks) {
        const task = message.value === null ? null : decodeMessage(assessmentTaskMessage, message.value);
        if (!task?.ok) return void notTasks++;
        const seen = tasks.get(task.value.task_id);
        if (seen) seen.copies++;
        else tasks.set(task.value.task_id, { cameraId: task.value.camera_id, capturedAtMs: task.value.captured_at_ms, createdAtMs: task.value.created_at_ms, copies: 1 });
        return;
      }
      if (topic === topics.results) {
        const verdict = message.value === null ? null : decodeMessage(riskAssessmentResultMessage, message.value);
        // A verdict the bench cannot read is still one the results role dead-letters: counted there.
        if (verdict?.ok) verdicts.set(verdict.value.task_id, (verdicts.get(verdict.value.task_id) ?? 0) + 1);
        return;
      }
      const letter = message.value === null ? null : decodeMessage(deadLetterMessage, message.value);
      if (!letter?.ok) return;
      const { original } = letter.value;
      deadLetters.push({
        stage: letter.value.stage,
        code: letter.value.error.code,
        topic: original.topic,
        key: original.key_b64 === null ? null : Buffer.from(original.key_b64, 'base64').toString('utf8'),
        // A dead-lettered verdict or task carries the task id; a detection frame has none (it never became a task).
        taskId: original.topic === topics.tasks || original.topic === topics.results ? taskIdOf(original.value_b64) : null,
      });
    },
  });
  const caughtUp = async (admin: Admin): Promise<boolean> => {
    for (const topic of [topics.tasks, topics.results, topics.dlq]) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low) && (positions.get(`${topic}:${partition}`) ?? 0n) < BigInt(high)) return false;
      }
    }
    return true;
  };
  return { tasks, verdicts, deadLetters, notTasks: () => notTasks, caughtUp, stop: () => consumer.disconnect() };
}

export interface StoredVerdict {
  capturedAtMs: number;
  assessedAtMs: number;
  storedAtMs: number;
  status: string;
}

export function readStore(file: string): Map<string, StoredVerdict> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT task_id, captured_at_ms, assessed_at_ms, stored_at_ms, status FROM results').all() as { task_id: string; captured_at_ms: number; assessed_at_ms: number; stored_at_ms: number; status: string }[];
    return new Map(rows.map((row) => [row.task_id, { capturedAtMs: row.captured_at_ms, assessedAtMs: row.assessed_at_ms, storedAtMs: row.stored_at_ms, status: row.status }]));
  } finally {
    db.close();
  }
}

export interface Accounting {
  tasks_in: number;
  results_out: number;
  /** Tasks the expander committed with neither a stored verdict nor a dead letter of their own. */
  lost: number;
  lost_examples: string[];
  /** Tasks with more than one outcome: two committed verdicts, a verdict and a dead letter, or two tasks of one id. */
  duplicates: number;
  duplicate_examples: string[];
  /** Verdicts committed on the topic but missing from the store (the results role lost them). */
  not_stored: number;
  dlq: Record<string, number>;
  dlq_tasks: number;
  malformed_sent: number;
  /** Malformed records with exactly one dead letter from each stage that consumes their topic (and at least one). */
  malformed_dead_lettered_once: number;
}

export function account(records: SiteRecords, store: ReadonlyMap<string, StoredVerdict>, malformed: readonly MalformedSent[]): Accounting {
  const lettersByTask = new Map<string, number>();
  const dlq: Record<string, number> = {};
  /** Dead letters of each malformed record by the stage that wrote them (every stage consuming its topic owes one). */
  const lettersByKey = new Map<string, Map<string, number>>();
  for (const letter of records.deadLetters) {
    const reason = `${letter.stage}:${letter.code}`;
    dlq[reason] = (dlq[reason] ?? 0) + 1;
    if (letter.taskId !== null) lettersByTask.set(letter.taskId, (lettersByTask.get(letter.taskId) ?? 0) + 1);
    if (letter.key?.startsWith(MALFORMED_KEY_PREFIX)) {
      const byStage = lettersByKey.get(letter.key) ?? new Map<string, number>();
      byStage.set(letter.stage, (byStage.get(letter.stage) ?? 0) + 1);
      lettersByKey.set(letter.key, byStage);
    }
  }
  const lost: string[] = [];
  const duplicates: string[] = [];
  let notStored = 0;
  let dlqTasks = 0;
  for (const [taskId, task] of records.tasks) {
    const verdicts = records.verdicts.get(taskId) ?? 0;
    const letters = lettersByTask.get(taskId) ?? 0;
    if (letters > 0) dlqTasks++;
    if (verdicts > 0 && !store.has(taskId)) notStored++;
    if (!store.has(taskId) && letters === 0) lost.push(taskId);
    if (task.copies > 1 || verdicts + letters > 1) duplicates.push(taskId);
  }
  return {
    tasks_in: records.tasks.size,
    results_out: [...records.tasks.keys()].filter((taskId) => store.has(taskId)).length,
    lost: lost.length,
    lost_examples: lost.slice(0, 5),
    duplicates: duplicates.length,
    duplicate_examples: duplicates.slice(0, 5),
    not_stored: notStored,
    dlq,
    dlq_tasks: dlqTasks,
    malformed_sent: malformed.length,
    malformed_dead_lettered_once: malformed.filter((sent) => {
      const byStage = [...(lettersByKey.get(sent.key)?.values() ?? [])];
      return byStage.length > 0 && byStage.every((count) => count === 1);
    }).length,
  };
}

/** Every raise and clear of a system alert the gateway stored (a re-raise of a cleared one counts as raised). */
export function readSystemAlertEvents(file: string): { rule: string; subject: string; action: 'raised' | 'cleared'; atMs: number }[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare("SELECT a.rule, a.subject, e.action, e.at_ms FROM alert_events e JOIN alerts a ON a.id = e.alert_id WHERE a.kind = 'system' AND e.actor = 'system' AND e.action IN ('raised', 'resurfaced', 'cleared') ORDER BY e.seq")
      .all() as { rule: string; subject: string; action: string; at_ms: number }[];
    return rows.map((row) => ({ rule: row.rule, subject: row.subject, action: row.action === 'cleared' ? 'cleared' : 'raised', atMs: row.at_ms }));
  } finally {
    db.close();
  }
}
