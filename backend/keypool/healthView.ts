// The pool's health as operators see it: per key and per account, by name only.
import type { AccountHealthView, KeyHealthView, KeyPoolHealth } from '../contracts/index.js';
import type { AccountRecord, KeyRecord } from './keyRecord.js';
import type { Ownership } from './slotPacer.js';

export function keyView(key: KeyRecord, now: number): KeyHealthView {
  const effective = key.limiter.effective();
  return {
    name: key.config.name,
    account: key.config.account,
    state: key.health.state(now),
    priority: key.config.priority,
    weight: key.config.weight,
    configured: { qps: key.config.qps_limit, rpm: key.config.rpm_limit, tpm: key.config.tpm_limit, max_in_flight: key.config.max_in_flight },
    effective: { qps: effective.qps, rpm: effective.rpm, tpm: effective.tpm, rate_per_second: effective.ratePerSecond },
    in_flight: key.inFlight,
    requests_total: key.stats.requestsTotal,
    success_rate: key.stats.successRate(),
    avg_latency_ms: key.stats.avgLatencyMs(),
    p95_latency_ms: key.stats.p95LatencyMs(),
    cooldown_remaining_ms: key.health.cooldownRemaining(now),
    slots_passed_over: key.limiter.slotsPassedOver(),
    late_writes: key.limiter.lateWrites(),
    last_error: key.health.lastError,
  };
}

export function accountView(account: AccountRecord, usable: readonly KeyHealthView[]): AccountHealthView {
  const keys = usable.filter((view) => view.account === account.config.name);
  const keyRate = keys.reduce((sum, view) => sum + view.effective.rate_per_second, 0);
  const effective = account.limiter.effective();
  return {
    name: account.config.name,
    keys: keys.length,
    configured_rpm: account.config.rpm_limit,
    effective_rpm: effective.rpm,
    capacity_rps: Math.min(keyRate, effective.ratePerSecond),
  };
}

export function poolHealth(
  keys: readonly KeyRecord[],
  accounts: readonly AccountRecord[],
  context: { now: number; strategy: string; ownership: Ownership; waiting: number; slotToleranceMs: number },
): KeyPoolHealth {
  const views = keys.filter((key) => !key.removed).map((key) => keyView(key, context.now));
  const usable = views.filter((view) => view.state === 'healthy' || view.state === 'half_open');
  const accountViews = accounts.map((account) => accountView(account, usable));
  const unaccounted = usable.filter((view) => view.account === null).reduce((sum, view) => sum + view.effective.rate_per_second, 0);
  return {
    strategy: context.strategy,
    share: context.ownership.owned.size / context.ownership.total,
    owned_partitions: [...context.ownership.owned].sort((a, b) => a - b),
    total_partitions: context.ownership.total,
    available_count: usable.length,
    capacity_rps: unaccounted + accountViews.reduce((sum, account) => sum + account.capacity_rps, 0),
    slot_tolerance_ms: context.slotToleranceMs,
    waiting: context.waiting,
    keys: views,
    accounts: accountViews,
  };
}
