// One key's pacing in this instance: it sends only in the grid's slots of the partitions it owns, each slot at most
// once, and never in a slot it reaches later than the tolerance (a late timer would bunch its request with the next).
import { SLOTS_PER_BLOCK, type SlotGrid } from './slotGrid.js';

/** The assessment-tasks partitions this instance consumes, out of all of them (one instance: 1 of 1). */
export interface Ownership {
  owned: ReadonlySet<number>;
  total: number;
}

export const SOLE_OWNER: Ownership = { owned: new Set([0]), total: 1 };

/** An instance that sent nothing this long has cold connections: its next request may arrive much later than it was granted. */
const COLD_AFTER_MS = 2000;

/**
 * When this instance last granted a request on any key. Every key's requests go to one endpoint over one pool of
 * connections, so a key this instance has not used for seconds still travels warm while the others are busy.
 */
export class SendPath {
  private last = Number.NEGATIVE_INFINITY;
  /** The client reports when requests reach the socket (see SlotPacer.written); until then grants are not held for it. */
  reportsWrites = false;

  lastGrantAt(): number {
    return this.last;
  }

  granted(epochMs: number): void {
    this.last = Math.max(this.last, epochMs);
  }
}

function isSoleOwner(ownership: Ownership): boolean {
  return ownership.owned.size === ownership.total;
}

export class SlotPacer {
  /** Slots before this one are used or passed over. */
  private nextFree = Number.NEGATIVE_INFINITY;
  private lastGrantAt = Number.NEGATIVE_INFINITY;
  /** When this instance was last given a partition: its former owner may have sent on the key just before. */
  private gainedAt = Number.NEGATIVE_INFINITY;
  /** Partitions gained lately → the first of their slots this instance may use (see configure). */
  private readonly gainedFrom = new Map<number, number>();
  /**
   * An instance that owns every partition shares the key with nobody, so an idle key need not wait for the common
   * grid: its grid is moved to open a slot when the request comes (never earlier: the shift is ≤ 0 of a block).
   */
  private shiftMs = 0;
  /** Owned slots of a busy key that went unused: no request was granted within their tolerance. */
  passedOver = 0;
  /** Requests granted here whose headers have not reached the socket yet. */
  private unwritten = 0;
  /** Requests that reached the socket later than the arrival budget after their slot (see written). */
  lateWrites = 0;

  constructor(
    private grid: SlotGrid,
    private ownership: Ownership,
    /** How late after its opening a slot may still be used, from what the process observes (see KeyPool). */
    private toleranceMs: () => number,
    /** Shared by the keys of one pool; by default the key's own requests are its only path. */
    private readonly path: SendPath = new SendPath(),
    /** How late after its slot a request may reach the socket and still arrive within the grid's jitter budget. */
    private arrivalBudgetMs: () => number = () => Number.POSITIVE_INFINITY,
  ) {}

  /**
   * A new grid (the key's limits changed) or a new ownership (a rebalance) at `epochMs`; slots already used stay
   * used. A gained partition's slots are used only from one block after the gain: its former owner may have used
   * one within its tolerance, sent a cold request that arrives up to a block late, or, as sole owner, used one up
   * to a block early on its moved grid, and Kafka can hand a partition over within milliseconds. The partitions
   * this instance kept go on at once; a new partition count deals every slot anew, so then the whole key waits.
   * `timing`: the tolerance and arrival budget of a reloaded key file (the jitter budget or clock skew changed).
   */
  configure(grid: SlotGrid, ownership: Ownership, epochMs: number, timing?: { toleranceMs: () => number; arrivalBudgetMs: () => number }): void {
    if (timing) ({ toleranceMs: this.toleranceMs, arrivalBudgetMs: this.arrivalBudgetMs } = timing);
    const regrid = grid.spacingMs !== this.grid.spacingMs || grid.phase !== this.grid.phase;
    const recount = ownership.total !== this.ownership.total;
    const gained = [...ownership.owned].filter((partition) => !this.ownership.owned.has(partition));
    // Back on the common grid with the others: without the shift every slot opens later, never earlier.
    if (!isSoleOwner(ownership)) this.shiftMs = 0;
    if (regrid) this.nextFree = grid.firstFrom(this.lastGrantAt + 1 - this.shiftMs);
    const afterGain = grid.firstFrom(epochMs + SLOTS_PER_BLOCK * grid.spacingMs - this.shiftMs);
    if (recount) {
      this.nextFree = Math.max(this.nextFree, afterGain);
      this.gainedFrom.clear();
    } else {
      for (const partition of gained) this.gainedFrom.set(partition, afterGain);
    }
    if (recount || gained.length > 0) this.gainedAt = epochMs;
    for (const partition of this.gainedFrom.keys()) if (!ownership.owned.has(partition)) this.gainedFrom.delete(partition);
    this.grid = grid;
    this.ownership = ownership;
  }

  /** Requests per second this instance may send on the key: its fraction of the grid. */
  ratePerSecond(): number {
    return ((1000 / this.grid.spacingMs) * this.ownership.owned.size) / this.ownership.total;
  }

  /** Epoch ms at which the next usable slot opens (now if one is open), Infinity when none is owned. */
  earliestAt(epochMs: number): number {
    // Where the last request is still unwritten, the process is starved: the next would follow it in a bunch.
    if (this.unwritten > 0 && this.path.reportsWrites) return Number.POSITIVE_INFINITY;
    if (this.canStartNow(epochMs)) return epochMs;
    const slot = this.nextUsable(epochMs);
    return slot === null ? Number.POSITIVE_INFINITY : Math.max(epochMs, this.start(slot));
  }

  /**
   * Uses the slot a grant was made for: the caller asked earliestAt first. A grant always uses up a slot, so a
   * rounding difference between the two calls can never let a request through unpaced.
   */
  take(epochMs: number): number | null {
    const cold = this.travelsCold(epochMs);
    const slot = this.canStartNow(epochMs) ? this.anchorAt(epochMs) : this.nextUsable(epochMs);
    if (slot === null) return null;
    if (!cold) this.passedOver += this.ownedBetween(this.nextFree, slot);
    // A cold request can arrive a block's length late: leaving the block's second slot unused keeps the
    // provider window that starts at its arrival within the limit.
    this.nextFree = slot + (cold ? SLOTS_PER_BLOCK : 1);
    this.lastGrantAt = epochMs;
    this.path.granted(epochMs);
    this.unwritten += 1;
    return this.start(slot);
  }

  /**
   * The request granted for the slot opening at `slotAt` reached the socket at `epochMs`. Later than the arrival
   * budget, it arrives where a later slot's request is due: L slots span the window plus the budget, so it is
   * safe only if this instance leaves its slots opening before `epochMs − budget + spacing` (its block's second
   * slot, or more) unused.
   */
  written(slotAt: number, epochMs: number): void {
    this.unwritten = Math.max(0, this.unwritten - 1);
    this.path.reportsWrites = true;
    const budget = this.arrivalBudgetMs();
    if (epochMs - slotAt <= budget) return;
    this.lateWrites += 1;
    const next = this.grid.firstFrom(epochMs - budget + this.grid.spacingMs - this.shiftMs);
    if (next <= this.nextFree) return;
    this.passedOver += this.ownedBetween(this.nextFree, next);
    this.nextFree = next;
  }

  /** A granted request ended without reaching the socket (aborted, or the connection failed). */
  unsent(): void {
    this.unwritten = Math.max(0, this.unwritten - 1);
  }

  /** Nobody here used the key lately (so the grid may move, see canStartNow). */
  private isIdle(epochMs: number): boolean {
    return epochMs - this.lastGrantAt > this.coldAfterMs();
  }

  /** The key's first request here (its SDK client is set up lazily), or the instance's connections went idle. */
  private travelsCold(epochMs: number): boolean {
    return this.lastGrantAt === Number.NEGATIVE_INFINITY || epochMs - this.path.lastGrantAt() > this.coldAfterMs();
  }

  private coldAfterMs(): number {
    return Math.max(COLD_AFTER_MS, 2 * SLOTS_PER_BLOCK * this.grid.spacingMs);
  }

  /** Moving the grid is safe only when nobody, this instance or a partition's former owner, used the key lately. */
  private canStartNow(epochMs: number): boolean {
    return isSoleOwner(this.ownership) && this.isIdle(epochMs) && epochMs - this.gainedAt > this.coldAfterMs();
  }

  /** Moves the grid so that a block opens at `epochMs` (the last grant was long enough ago for any window). */
  private anchorAt(epochMs: number): number {
    let slot = this.grid.firstFrom(epochMs);
    if (slot % SLOTS_PER_BLOCK !== 0) slot += SLOTS_PER_BLOCK - (slot % SLOTS_PER_BLOCK);
    this.shiftMs = epochMs - this.grid.start(slot);
    return slot;
  }

  private start(slot: number): number {
    return this.grid.start(slot) + this.shiftMs;
  }

  private ownedBetween(from: number, to: number): number {
    let count = 0;
    for (let slot = from; slot < to; slot++) if (this.isUsable(slot)) count++;
    return count;
  }

  /** The slot belongs to a partition this instance owns, and not to its former owner's last block. */
  private isUsable(slot: number): boolean {
    const partition = this.grid.partitionOf(slot, this.ownership.total);
    return this.ownership.owned.has(partition) && slot >= (this.gainedFrom.get(partition) ?? Number.NEGATIVE_INFINITY);
  }

  private nextUsable(epochMs: number): number | null {
    const { owned, total } = this.ownership;
    if (owned.size === 0) return null;
    this.forgetPastGains();
    const cold = this.travelsCold(epochMs);
    let slot = Math.max(this.nextFree, this.grid.firstFrom(epochMs - this.shiftMs - this.toleranceMs()));
    // Every partition's block comes round once in SLOTS_PER_BLOCK × total slots, a gained one after its first block.
    for (let step = 0; step <= SLOTS_PER_BLOCK * (total + 2); step++, slot++) {
      if (!this.isUsable(slot)) continue;
      if (cold && slot % SLOTS_PER_BLOCK !== 0) continue;
      return slot;
    }
    return null;
  }

  private forgetPastGains(): void {
    for (const [partition, from] of this.gainedFrom) if (from <= this.nextFree) this.gainedFrom.delete(partition);
  }
}
