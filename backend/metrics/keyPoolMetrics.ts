// Prometheus metrics of the key pool (names from the original design), read from its health view and events.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { KeyPool } from '../keypool/keyPool.js';
import { KEY_STATES } from '../contracts/index.js';

export function registerKeyPoolMetrics(pool: KeyPool, registry: Registry): void {
  const health = () => pool.health();
  new Gauge({
    name: 'api_key_available_count',
    help: 'API keys that may be used now (not cooling, open or disabled)',
    registers: [registry],
    collect() {
      this.set(health().available_count);
    },
  });
  new Gauge({
    name: 'api_key_capacity_rps',
    help: 'Sustained requests/s of the usable keys, after account limits and this instance share',
    registers: [registry],
    collect() {
      this.set(health().capacity_rps);
    },
  });
  const perKey = (name: string, help: string, value: (key: ReturnType<typeof health>['keys'][number]) => number | null): void => {
    new Gauge({
      name,
      help,
      labelNames: ['key'],
      registers: [registry],
      collect() {
        this.reset();
        for (const key of health().keys) {
          const measured = value(key);
          if (measured !== null) this.set({ key: key.name }, measured);
        }
      },
    });
  };
  perKey('api_key_success_rate', 'Share of recent requests on the key that succeeded', (key) => key.success_rate);
  perKey('api_key_avg_latency_ms', 'Average latency of recent successful requests on the key', (key) => key.avg_latency_ms);
  perKey('api_key_in_flight', 'Requests in flight on the key', (key) => key.in_flight);
  perKey('api_key_slots_passed_over', "This instance's send slots of the key that went unused while it was busy (granted too late): rate a loaded host lost", (key) => key.slots_passed_over);
  perKey('api_key_late_writes', 'Requests on the key that reached the socket later than the jitter budget allows after their slot: each may cost a 429; raise slot_jitter_budget_ms if it grows', (key) => key.late_writes);
  new Gauge({
    name: 'api_key_slot_tolerance_ms',
    help: 'How late after its opening a send slot may still be used, from the grant-to-send spread this process observes',
    registers: [registry],
    collect() {
      this.set(health().slot_tolerance_ms);
    },
  });
  perKey('api_key_cooldown_remaining_seconds', 'Seconds until a cooling or open key may be used again', (key) => key.cooldown_remaining_ms / 1000);
  new Gauge({
    name: 'api_key_state',
    help: '1 for the state the key is in (healthy, cooling, open, half_open, disabled)',
    labelNames: ['key', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const key of health().keys) for (const state of KEY_STATES) this.set({ key: key.name, state }, key.state === state ? 1 : 0);
    },
  });
  const requests = new Counter({ name: 'api_key_requests_total', help: 'Requests made with each key, by outcome', labelNames: ['key', 'outcome'], registers: [registry] });
  const disabled = new Counter({ name: 'api_key_disabled_total', help: 'Times a key was refused by the provider (401/403) and disabled', labelNames: ['key'], registers: [registry] });
  pool.on('lease_released', (event) => requests.inc({ key: event.key, outcome: event.kind }));
  pool.on('key_disabled', (event) => disabled.inc({ key: event.key }));
}
