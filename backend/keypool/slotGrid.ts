// The send slots of one key: a grid of epoch times that every instance computes alike from the key file, dealt out
// in blocks over the assessment-tasks partitions. Instances that own different partitions never send in one slot,
// so together they never exceed a key's per-second or per-minute limit in any provider window (issue 12).

/** Consecutive slots dealt to one partition: a request on a cold connection takes a whole block (see SlotPacer). */
export const SLOTS_PER_BLOCK = 2;

export interface SlotGridSpec {
  /** The key's requests per second (the provider counts whole requests: 5.5 allows 5). */
  perSecond: number;
  perMinute: number;
  /** Spread of arrival times the grid absorbs: clock skew between instances, timer lateness, send delay. */
  jitterBudgetMs: number;
  /** Offset of this key's grid in [0, 1) of a slot, so that keys are not paced in step. */
  phase: number;
  /**
   * In [0, 1): where in the partition cycle this key's dealing starts (default 0). Kafka often gives one member
   * neighbouring partitions (3, 4, 5, 6); dealt in step on every key, those would be a burst of slots on all keys
   * at once each cycle and then a long gap, which the member's workers cannot absorb. Out of step, its slots come
   * evenly over the keys.
   */
  rotation?: number;
}

/**
 * A provider window of W ms sees the arrivals of slots that started within W plus the arrival spread D, so L
 * requests per W hold when L slots span W + D: spacing (W + D) / L. A rate below one per second is a rate.
 */
export function slotSpacingMs(spec: Pick<SlotGridSpec, 'perSecond' | 'perMinute' | 'jitterBudgetMs'>): number {
  const budget = spec.jitterBudgetMs;
  const second = spec.perSecond >= 1 ? (1000 + budget) / Math.floor(spec.perSecond) : 1000 / spec.perSecond + budget;
  const minute = (60_000 + budget) / Math.max(1, Math.floor(spec.perMinute));
  return Math.max(second, minute);
}

/** A stable phase in [0, 1) from the key's name, so every instance (and every file order) agrees on it. */
export function phaseOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193) >>> 0;
  // FNV-1a alone leaves names that differ in their last character (key-001, key-002) next to each other;
  // murmur3's finalizer spreads them over the whole range.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35) >>> 0;
  return ((hash ^ (hash >>> 16)) >>> 0) / 2 ** 32;
}

export class SlotGrid {
  readonly spacingMs: number;
  readonly phase: number;
  private readonly rotation: number;

  constructor(spec: SlotGridSpec) {
    this.spacingMs = slotSpacingMs(spec);
    this.phase = spec.phase;
    this.rotation = spec.rotation ?? 0;
  }

  /** Epoch ms at which slot n opens. */
  start(slot: number): number {
    return (slot + this.phase) * this.spacingMs;
  }

  /** The first slot that opens at or after `epochMs`. */
  firstFrom(epochMs: number): number {
    return Math.ceil(epochMs / this.spacingMs - this.phase);
  }

  /** The partition whose owner may use slot n, out of `total`: blocks go to the partitions in turn, from the key's rotation. */
  partitionOf(slot: number, total: number): number {
    const block = Math.floor(slot / SLOTS_PER_BLOCK) + Math.floor(this.rotation * total);
    return ((block % total) + total) % total;
  }
}
