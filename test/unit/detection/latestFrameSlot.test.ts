import { describe, expect, it } from 'vitest';
import type { CapturedFrame } from '../../../backend/detection/sources/frameSource.js';
import { LatestFrameSlot } from '../../../backend/detection/sources/latestFrameSlot.js';

const released: number[] = [];
const frame = (sequence: number): CapturedFrame => ({
  width: 1, height: 1, image: { data: Buffer.alloc(3), width: 1, height: 1 }, picture: () => null, release: () => released.push(sequence), capturedAtMs: sequence, sequence,
});

describe('detection > sources > latestFrameSlot', () => {
  it('hands a waiting consumer the next frame directly', async () => {
    const slot = new LatestFrameSlot();
    const taken = slot.take();
    slot.put(frame(1));
    expect((await taken)?.sequence).toBe(1);
    expect(slot.skipped).toBe(0);
  });

  it('keeps only the newest frame when the consumer is slow, counting and releasing the ones it replaced', async () => {
    const slot = new LatestFrameSlot();
    released.length = 0;
    for (let i = 1; i <= 5; i++) slot.put(frame(i));
    expect((await slot.take())?.sequence).toBe(5);
    expect(slot.skipped).toBe(4);
    expect(released).toEqual([1, 2, 3, 4]);
  });

  it('answers null once closed, also to a consumer already waiting', async () => {
    const slot = new LatestFrameSlot();
    const waiting = slot.take();
    slot.close();
    expect(await waiting).toBeNull();
    slot.put(frame(1));
    expect(await slot.take()).toBeNull();
  });
});
