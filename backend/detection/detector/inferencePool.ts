// The detector's inference threads: one ONNX session each, a run goes to the least busy. At most one run waits
// in a thread behind the one it runs; further callers wait here, in arrival order, so no thread sits idle and
// no queue grows beyond what the cores can serve (cameras that wait skip frames at their source instead).
import { startInferenceThread, type InferenceOutput, type InferenceThread } from './inferenceThread.js';
import type { WorkerInit } from './inferenceProtocol.js';

const RUNS_PER_THREAD = 2;

export interface InferencePool {
  /** Waits for room, then runs `fill`'s tensor (filled into a reused buffer) on the least busy thread. */
  run(fill: (tensor: Float32Array) => Promise<void> | void, size: number): Promise<InferenceOutput>;
  readonly threads: number;
  close(): Promise<void>;
}

export async function startInferencePool(init: WorkerInit, threads: number): Promise<InferencePool> {
  const started = await Promise.allSettled(Array.from({ length: threads }, () => startInferenceThread(init)));
  const ready = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(ready.map((thread) => thread.close()));
    throw failed.reason;
  }
  const waiting: (() => void)[] = [];
  const spare: Float32Array[] = [];
  /** Runs given to each thread and not finished, counted from the moment one is picked (its tensor is filled after). */
  const busy = new Map<InferenceThread, number>(ready.map((thread) => [thread, 0]));
  const leastBusy = (): InferenceThread | null => {
    const thread = ready.reduce((best, candidate) => (busy.get(candidate)! < busy.get(best)! ? candidate : best));
    return busy.get(thread)! < RUNS_PER_THREAD ? thread : null;
  };
  const tensorOf = (length: number): Float32Array => {
    const index = spare.findIndex((tensor) => tensor.length === length);
    return index >= 0 ? spare.splice(index, 1)[0]! : new Float32Array(length);
  };

  return {
    threads,
    async run(fill, size) {
      let thread = leastBusy();
      for (let turns = 0; thread === null; turns++) {
        // One woken and overtaken by a newcomer keeps its place at the head of the line.
        await new Promise<void>((resolve) => (turns === 0 ? waiting.push(resolve) : waiting.unshift(resolve)));
        thread = leastBusy();
      }
      busy.set(thread, busy.get(thread)! + 1);
      const tensor = tensorOf(3 * size * size);
      try {
        await fill(tensor);
        const output = await thread.run(tensor, size);
        if (spare.length < threads * RUNS_PER_THREAD) spare.push(output.tensor);
        return output;
      } finally {
        busy.set(thread, busy.get(thread)! - 1);
        waiting.shift()?.();
      }
    },
    async close() {
      await Promise.all(ready.map((thread) => thread.close()));
    },
  };
}
