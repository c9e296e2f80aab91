// The API key pool: hands out leases on keys so that every key's (and account's) limits are spent fully and
// never exceeded, fairly by priority, around keys that are cooling, failing or revoked.
import { EventEmitter } from 'node:events';
import type { ApiKeysConfig } from '../config/index.js';
import type { KeyPoolHealth } from '../contracts/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import { BugError } from '../core/errors.js';
import { createDelayObserver, type DelayObserver } from './delayObserver.js';
import { createEpochTime, type EpochTime } from './epochTime.js';
import { LeaseDeadlineError, NoUsableKeysError, PoolClosedError } from './errors.js';
import { poolHealth } from './healthView.js';
import type { KeyState } from './keyHealth.js';
import type { SlotSettings } from './keyLimiter.js';
import type { AccountRecord, KeyRecord } from './keyRecord.js';
import type { LeaseOutcome, OutcomeKind } from './outcome.js';
import { syncRecords } from './poolRecords.js';
import { slotSettingsOf } from './poolSettings.js';
import type { EntryHandle } from './slidingWindow.js';
import { SendPath, SOLE_OWNER, type Ownership } from './slotPacer.js';
import { createSelector } from './strategies.js';
import { WaitQueue, type Waiter } from './waitQueue.js';

export interface Lease {
  readonly id: number;
  readonly keyName: string;
  /** The secret itself, for the Authorization header only. Redacted by the logger if it ever reaches a log. */
  readonly apiKey: string;
  readonly grantedAtMs: number;
  readonly waitedMs: number;
}

export interface AcquireOptions {
  /** 0 (lowest) to 9 (highest), as task priorities. */
  priority?: number;
  /** Epoch ms after which the caller no longer wants a key. */
  deadline?: number;
  signal?: AbortSignal;
  /** Tokens to reserve against TPM limits (default: the file's default_request_tokens). */
  tokens?: number;
  /** Only this key (a retry on the same key); falls back to any key if that one is disabled or removed. */
  onlyKey?: string;
  /** Any key but this one (the request just gave up on it), unless it is the only usable key left. */
  avoidKey?: string;
}

export interface KeyPoolEvents {
  key_state: [{ key: string; from: KeyState; to: KeyState; reason: string }];
  /** An alert: a key was refused by the provider (401/403) and will not be used until the key file changes. */
  key_disabled: [{ key: string; status: number | null; reason: string }];
  lease_released: [{ key: string; kind: OutcomeKind; latency_ms: number }];
  reloaded: [{ added: string[]; removed: string[]; rotated: string[] }];
}

interface LeaseRecord {
  key: KeyRecord;
  grantedAt: number;
  sendRecorded: boolean;
  /** Its send slot's opening (epoch ms); null when it took none. */
  slotAt: number | null;
  written: boolean;
  account: AccountRecord | null;
  keyTokens: EntryHandle;
  accountTokens: EntryHandle | null;
  isProbe: boolean;
  released: boolean;
}

interface PendingAcquire extends Waiter {
  onlyKey: string | null;
  avoidKey: string | null;
  resolve(lease: Lease): void;
  reject(error: unknown): void;
  detach(): void;
}

export interface KeyPoolOptions {
  clock?: Clock;
  /** The assessment-tasks partitions this instance owns (default: one instance, the only owner). */
  ownership?: Ownership;
  /** What the process observes of grant→send delay (default: the event loop's delay and reported sends). */
  delay?: DelayObserver;
}

export class KeyPool extends EventEmitter<KeyPoolEvents> {
  private config: ApiKeysConfig;
  private ownership: Ownership;
  private readonly clock: Clock;
  private readonly delay: DelayObserver;
  private readonly ownsDelay: boolean;
  private readonly epoch: EpochTime;
  private readonly sendPath = new SendPath();
  private readonly keys = new Map<string, KeyRecord>();
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly leases = new WeakMap<Lease, LeaseRecord>();
  private readonly queue: WaitQueue<PendingAcquire>;
  private selector;
  private nextLeaseId = 1;
  private wake: AbortController | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(config: ApiKeysConfig, options: KeyPoolOptions = {}) {
    super();
    this.config = config;
    this.clock = options.clock ?? systemClock;
    this.ownership = options.ownership ?? SOLE_OWNER;
    this.ownsDelay = options.delay === undefined;
    this.delay = options.delay ?? createDelayObserver();
    this.epoch = createEpochTime(this.clock);
    this.selector = createSelector(config.strategy);
    this.queue = new WaitQueue(config.priority_aging_seconds * 1000);
    this.applyConfig(config);
  }

  acquire(options: AcquireOptions = {}): Promise<Lease> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const now = this.clock.monotonic();
    const deadlineAt = options.deadline === undefined ? Number.POSITIVE_INFINITY : now + (options.deadline - this.clock.now());
    return new Promise<Lease>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.queue.remove(waiter)) reject(options.signal?.reason);
      };
      const waiter: PendingAcquire = {
        priority: options.priority ?? 0,
        enqueuedAt: now,
        deadlineAt,
        tokens: options.tokens ?? this.config.default_request_tokens,
        onlyKey: options.onlyKey ?? null,
        avoidKey: options.avoidKey ?? null,
        resolve,
        reject,
        detach: () => options.signal?.removeEventListener('abort', onAbort),
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  release(lease: Lease, outcome: LeaseOutcome): void {
    const record = this.leases.get(lease);
    if (!record) throw new BugError('release() of a lease this pool did not grant');
    if (record.released) return;
    record.released = true;
    const { key } = record;
    key.inFlight -= 1;
    if (!record.written) key.limiter.unsent(record.slotAt);
    if (outcome.tokens !== undefined && outcome.tokens !== null) {
      key.limiter.correctTokens(record.keyTokens, outcome.tokens);
      if (record.account && record.accountTokens !== null) record.account.limiter.correctTokens(record.accountTokens, outcome.tokens);
    }
    key.stats.record(outcome.kind, outcome.latencyMs);
    const change = key.health.onOutcome(outcome, this.clock.monotonic(), record.isProbe);
    this.emit('lease_released', { key: key.config.name, kind: outcome.kind, latency_ms: outcome.latencyMs });
    if (change) {
      this.emit('key_state', { key: key.config.name, ...change });
      if (change.to === 'disabled') this.emit('key_disabled', { key: key.config.name, status: outcome.status, reason: change.reason });
    }
    if (key.removed && key.inFlight === 0) this.keys.delete(key.config.name);
    this.pump();
  }

  /**
   * The assessment-tasks partitions this instance now owns, out of `total` (after every rebalance). Keys are used
   * only in the send slots of these partitions, and token and account limits scale by their fraction.
   */
  setOwnership(owned: Iterable<number>, total: number): void {
    const partitions = new Set(owned);
    if (!(Number.isInteger(total) && total > 0) || [...partitions].some((partition) => !(Number.isInteger(partition) && partition >= 0 && partition < total))) {
      throw new BugError(`ownership must be partitions within [0, ${total}), got ${[...partitions].join(',')}`);
    }
    this.ownership = { owned: partitions, total };
    this.applyConfig(this.config);
    this.pump();
  }

  /** The request of `lease` is leaving now: its grant-to-send time tunes how late a slot may still be used. */
  recordSend(lease: Lease): void {
    const record = this.leases.get(lease);
    if (!record || record.sendRecorded) return;
    record.sendRecorded = true;
    this.delay.recordSend(this.clock.monotonic() - record.grantedAt);
  }

  /**
   * The request of `lease` reached the socket now. Until then its key grants nothing more here (a starved process
   * would send the next in the same instant), and a late write leaves this instance's next slot of it unused.
   */
  recordWrite(lease: Lease): void {
    const record = this.leases.get(lease);
    if (!record || record.written || record.released) return;
    record.written = true;
    record.key.limiter.written(record.slotAt, this.clock.monotonic());
    this.pump();
  }

  /** Applies a new key file: adds, removes and rotates keys; leases already granted stay valid. */
  reload(config: ApiKeysConfig): void {
    const before = new Map([...this.keys].filter(([, key]) => !key.removed).map(([name, key]) => [name, key.config.api_key]));
    if (config.strategy !== this.config.strategy) this.selector = createSelector(config.strategy);
    this.config = config;
    this.applyConfig(config);
    const after = new Set(config.keys.map((key) => key.name));
    this.emit('reloaded', {
      added: config.keys.filter((key) => !before.has(key.name)).map((key) => key.name),
      removed: [...before.keys()].filter((name) => !after.has(name)),
      rotated: config.keys.filter((key) => before.has(key.name) && before.get(key.name) !== key.api_key).map((key) => key.name),
    });
    this.pump();
  }

  health(): KeyPoolHealth {
    return poolHealth([...this.keys.values()], [...this.accounts.values()], {
      now: this.clock.monotonic(),
      strategy: this.config.strategy,
      ownership: this.ownership,
      waiting: this.queue.size,
      slotToleranceMs: this.slotSettings(this.config).toleranceMs(),
    });
  }

  close(): void {
    this.closed = true;
    this.wake?.abort();
    if (this.ownsDelay) this.delay.close();
    for (const waiter of this.queue.takeExpired(Number.POSITIVE_INFINITY)) {
      waiter.detach();
      waiter.reject(new PoolClosedError());
    }
  }

  private slotSettings(config: ApiKeysConfig): SlotSettings {
    return slotSettingsOf(config, this.delay, this.sendPath);
  }

  private applyConfig(config: ApiKeysConfig): void {
    syncRecords({ keys: this.keys, accounts: this.accounts }, config, {
      slots: this.slotSettings(config),
      ownership: this.ownership,
      epoch: this.epoch,
      now: this.clock.monotonic(),
      forget: (name) => this.selector.forget(name),
    });
  }

  private accountOf(key: KeyRecord): AccountRecord | null {
    return key.config.account === null ? null : (this.accounts.get(key.config.account) ?? null);
  }

  /** When `key` could next take a request of `tokens` tokens; Infinity while it cannot without an event. */
  private keyAvailableAt(key: KeyRecord, now: number, tokens: number): number {
    if (key.removed) return Number.POSITIVE_INFINITY;
    if (key.config.max_in_flight !== null && key.inFlight >= key.config.max_in_flight) return Number.POSITIVE_INFINITY;
    const account = this.accountOf(key);
    return Math.max(key.health.availableAt(now), key.limiter.earliestAt(now, tokens), account ? account.limiter.earliestAt(now, tokens) : now);
  }

  /** Grants keys to waiters while any key is free now, then sleeps until the next key or deadline is due. */
  private pump(): void {
    if (this.closed) return;
    const now = this.clock.monotonic();
    for (const waiter of this.queue.takeExpired(now)) {
      waiter.detach();
      waiter.reject(new LeaseDeadlineError(now - waiter.enqueuedAt));
    }
    if (this.queue.size > 0 && ![...this.keys.values()].some((key) => this.isUsable(key, now))) {
      for (const waiter of this.queue.takeExpired(Number.POSITIVE_INFINITY)) {
        waiter.detach();
        waiter.reject(new NoUsableKeysError());
      }
    }
    for (const waiter of this.queue.ordered(now)) {
      if (waiter.onlyKey !== null && !this.isUsable(this.keys.get(waiter.onlyKey), now)) waiter.onlyKey = null;
      if (waiter.avoidKey !== null && ![...this.keys.values()].some((key) => key.config.name !== waiter.avoidKey && this.isUsable(key, now))) waiter.avoidKey = null;
      const free = [...this.keys.values()].filter(
        (key) =>
          (waiter.onlyKey === null || key.config.name === waiter.onlyKey) &&
          key.config.name !== waiter.avoidKey &&
          this.keyAvailableAt(key, now, waiter.tokens) <= now,
      );
      const chosen = this.selector.pick(
        free.map((key) => ({ name: key.config.name, priority: key.config.priority, weight: key.config.weight, inFlight: key.inFlight, ratePerSecond: key.limiter.effective().ratePerSecond, key })),
      );
      if (chosen) {
        this.queue.remove(waiter);
        waiter.detach();
        waiter.resolve(this.grant(chosen.key, waiter, now));
      } else if (waiter.onlyKey === null) {
        break; // no key is free for the best unpinned request, so none is for those behind it
      }
    }
    this.scheduleWake(now);
  }

  private isUsable(key: KeyRecord | undefined, now: number): boolean {
    return key !== undefined && !key.removed && key.health.state(now) !== 'disabled';
  }

  private grant(key: KeyRecord, waiter: PendingAcquire, now: number): Lease {
    const account = this.accountOf(key);
    const lease: Lease = {
      id: this.nextLeaseId++,
      keyName: key.config.name,
      apiKey: key.config.api_key,
      grantedAtMs: this.clock.now(),
      waitedMs: now - waiter.enqueuedAt,
    };
    key.inFlight += 1;
    const taken = key.limiter.record(now, waiter.tokens);
    this.leases.set(lease, {
      key,
      grantedAt: now,
      sendRecorded: false,
      slotAt: taken.slotAt,
      written: false,
      account,
      keyTokens: taken.tokens,
      accountTokens: account ? account.limiter.record(now, waiter.tokens) : null,
      isProbe: key.health.onGranted(now),
      released: false,
    });
    return lease;
  }

  private scheduleWake(now: number): void {
    if (this.queue.size === 0) {
      this.wake?.abort();
      this.wake = null;
      this.wakeAt = Number.POSITIVE_INFINITY;
      return;
    }
    const tokens = this.queue.peek(now)?.tokens ?? this.config.default_request_tokens;
    let next = this.queue.earliestDeadline();
    for (const key of this.keys.values()) next = Math.min(next, this.keyAvailableAt(key, now, tokens));
    if (!Number.isFinite(next) || (this.wake && next >= this.wakeAt)) return;
    this.wake?.abort();
    const controller = new AbortController();
    this.wake = controller;
    this.wakeAt = next;
    this.clock.sleep(Math.max(0, next - now), controller.signal).then(
      () => {
        if (this.wake !== controller) return;
        this.wake = null;
        this.wakeAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      (error: unknown) => {
        if (!controller.signal.aborted) throw error;
      },
    );
  }
}

export function createKeyPool(config: ApiKeysConfig, options: KeyPoolOptions = {}): KeyPool {
  return new KeyPool(config, options);
}
