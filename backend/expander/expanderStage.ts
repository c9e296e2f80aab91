// The expander role (the original design's Flink job): detection-results → assessment-tasks, one task per
// published group, transactional through the Bus so a restart never tasks a group twice or forgets one.
import { EventEmitter } from 'node:events';
import type { Bus, BusOutput, Subscription } from '../bus/bus.js';
import { fitsInMessage } from '../bus/messageSize.js';
import { assessmentTaskMessage, createTaskId, detectionResultMessage, encodeMessage, SCHEMA_VERSION, type AssessmentTaskMessage, type DetectionResultMessage } from '../contracts/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import { AppError, BugError } from '../core/errors.js';
import { GroupDedup, type DedupSettings } from './groupDedup.js';
import { groupPriority } from './priority.js';

export interface ExpanderSettings {
  group: string;
  detectionTopic: string;
  tasksTopic: string;
  taskTtlMs: number;
  /** The bus's limit: a task over it keeps its group but loses its crop. */
  maxMessageBytes: number;
  dedup: DedupSettings;
  concurrency: number;
  /** A group with a time to collision at or under this gets the highest priority. */
  ttcThresholdS: number;
}

export interface ExpanderEvents {
  /**
   * Per input frame: tasks written, groups left out as repeats or as already past their deadline, and tasks sent
   * without their crop because it would not fit in a message.
   */
  expanded: [{ cameraId: string; tasks: number; duplicates: number; expired: number; cropsDropped: number }];
}

export interface Expander {
  readonly events: EventEmitter<ExpanderEvents>;
  start(): Promise<Subscription>;
}

export function createExpander(bus: Bus, settings: ExpanderSettings, clock: Clock = systemClock): Expander {
  const events = new EventEmitter<ExpanderEvents>();
  const dedup = new GroupDedup(settings.dedup);

  /** The task as JSON, without its crop when the crop would make it too large; null when even that does not fit. */
  const encodeTask = (task: AssessmentTaskMessage): { value: string; cropDropped: boolean } | null => {
    for (const candidate of task.crop_jpeg_b64 === null ? [task] : [task, { ...task, crop_jpeg_b64: null }]) {
      const encoded = encodeMessage(assessmentTaskMessage, candidate, { maxBytes: Number.MAX_SAFE_INTEGER });
      // A valid detection result always makes a valid task; anything else is our bug, not bad input.
      if (!encoded.ok) throw new BugError(`expander built an invalid task: ${encoded.error.message}`);
      if (fitsInMessage({ key: task.task_id, value: encoded.value }, settings.maxMessageBytes)) return { value: encoded.value, cropDropped: candidate !== task };
    }
    return null;
  };

  const expand = (message: DetectionResultMessage): BusOutput[] => {
    const now = clock.now();
    const deadline = message.captured_at_ms + settings.taskTtlMs;
    if (!Number.isSafeInteger(deadline)) throw new AppError('deadline_out_of_range', `captured_at_ms ${message.captured_at_ms} + task_ttl_ms ${settings.taskTtlMs} is past 2^53`);
    const outputs: BusOutput[] = [];
    let duplicates = 0;
    let expired = 0;
    let cropsDropped = 0;
    for (const { crop_jpeg_b64: crop, ...group } of message.groups) {
      if (deadline < now) {
        expired++;
        continue; // an operator cannot act on it any more; assessing it would only spend keys
      }
      if (dedup.isDuplicate(message.camera_id, group, message.captured_at_ms)) {
        duplicates++;
        continue;
      }
      const taskId = createTaskId(message.camera_id, message.frame_id, group.group_id);
      const task: AssessmentTaskMessage = {
        schema_version: SCHEMA_VERSION,
        task_id: taskId,
        camera_id: message.camera_id,
        frame_id: message.frame_id,
        group_id: group.group_id,
        captured_at_ms: message.captured_at_ms,
        created_at_ms: now,
        deadline_ms: deadline,
        priority: groupPriority(group, settings.ttcThresholdS),
        group,
        crop_jpeg_b64: crop,
      };
      const encoded = encodeTask(task);
      // Only a degenerate group (thousands of member classes) gets here: the frame is refused with this reason.
      if (encoded === null) throw new AppError('task_too_large', `group ${group.group_id}: its task does not fit in ${settings.maxMessageBytes} bytes even without the crop`);
      if (encoded.cropDropped) cropsDropped++;
      outputs.push({ topic: settings.tasksTopic, key: taskId, value: encoded.value });
    }
    events.emit('expanded', { cameraId: message.camera_id, tasks: outputs.length, duplicates, expired, cropsDropped });
    return outputs;
  };

  return {
    events,
    start: () =>
      bus.transform({
        group: settings.group,
        topic: settings.detectionTopic,
        schema: detectionResultMessage,
        stage: 'expander',
        concurrency: settings.concurrency,
        eventTime: { path: 'captured_at_ms', of: (message) => message.captured_at_ms },
        transform: (message) => Promise.resolve(expand(message)),
      }),
  };
}
