// Group commit for the Kafka producer: sends that arrive while a request is in flight go together in the next
// one. The bus's producer is idempotent with one request in flight (a retry cannot reorder a partition), so with
// a request per send 50 cameras' frames queued behind each other's round trips: 7 s from capture to task at
// 50 frames/s on a loaded 2-core host (`tcr bench e2e`). Each send still resolves only once its request is acked.
import type { BusMessage } from '../bus.js';
import { batchBudget, chunkBySize, recordBytes } from '../messageSize.js';

export interface TopicMessages {
  topic: string;
  messages: BusMessage[];
}

interface PendingSend {
  topic: string;
  messages: readonly BusMessage[];
  bytes: number;
  settle(error: unknown): void;
}

/**
 * `request` sends one produce request; `limit` is the broker's max.message.bytes: one request's records stay
 * within one batch's budget, since every record of a partition in a request is one batch.
 */
export function createSendCoalescer(request: (topics: TopicMessages[]) => Promise<void>, limit: number): (topic: string, messages: readonly BusMessage[]) => Promise<void> {
  const budget = batchBudget(limit);
  const queue: PendingSend[] = [];
  let running = false;

  /** The sends of the next request, in arrival order: as many as fit, or one that is larger than a request alone. */
  const take = (): PendingSend[] => {
    const taken = [queue.shift()!];
    let bytes = taken[0]!.bytes;
    while (queue.length > 0 && bytes + queue[0]!.bytes <= budget) {
      bytes += queue[0]!.bytes;
      taken.push(queue.shift()!);
    }
    return taken;
  };

  const sendTaken = async (taken: readonly PendingSend[]): Promise<void> => {
    if (taken.length === 1 && taken[0]!.bytes > budget) {
      // One send larger than a request: its chunks in order, as before there was any coalescing.
      for (const chunk of chunkBySize(taken[0]!.messages, limit)) await request([{ topic: taken[0]!.topic, messages: chunk }]);
      return;
    }
    const byTopic = new Map<string, BusMessage[]>();
    for (const send of taken) byTopic.set(send.topic, [...(byTopic.get(send.topic) ?? []), ...send.messages]);
    await request([...byTopic].map(([topic, messages]) => ({ topic, messages })));
  };

  const pump = (): void => {
    if (running || queue.length === 0) return;
    running = true;
    void (async () => {
      try {
        while (queue.length > 0) {
          const taken = take();
          let failure: unknown = null;
          await sendTaken(taken).catch((error: unknown) => (failure = error ?? new Error('send failed')));
          for (const send of taken) send.settle(failure);
        }
      } finally {
        running = false;
        pump();
      }
    })();
  };

  return (topic, messages) =>
    new Promise<void>((resolve, reject) => {
      const bytes = messages.reduce((sum, message) => sum + recordBytes(message), 0);
      queue.push({ topic, messages, bytes, settle: (error) => (error === null ? resolve() : reject(error)) });
      pump();
    });
}
