import { describe, expect, it } from 'vitest';
import type { CapturedFrame } from '../../../backend/detection/sources/frameSource.js';
import { LatestFrameSlot } from '../../../backend/detection/sources/latestFrameSlot.js';

const frame = (sequence: number): CapturedFrame => ({ width: 1, height: 1, image: { data: Buffer.alloc(3), width: 1, height: 1 }, picture: () => null, capturedAtMs: sequence, sequence });

describe('detection > sources > latestFrameSlot', () => {
  it('hands a waiting consumer the next frame directly', async () => {
    const slot = new LatestFrameSlot();
    const taken = slot.take();
    slot.put(frame(1));
    expect((await taken)?.sequence).toBe(1);
    expect(slot.skipped).toBe(0);
  });

  it('keeps only the newest frame when the consumer is slow, counting the ones it replaced', async () => {
    const slot = new LatestFrameSlot();
    for (let i = 1; i <= 5; i++) slot.put(frame(i));
    expect((await slot.take())?.sequence).toBe(5);
    expect(slot.skipped).toBe(4);
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
