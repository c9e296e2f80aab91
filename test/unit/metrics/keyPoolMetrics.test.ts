import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createKeyPool } from '../../../backend/keypool/keyPool.js';
import { registerKeyPoolMetrics } from '../../../backend/metrics/keyPoolMetrics.js';
import { keysConfig } from '../../support/keyConfig.js';

describe('metrics > keyPoolMetrics', () => {
  it('exposes availability, per-key success rate, latency and state by key name, never the key', async () => {
    const pool = createKeyPool(keysConfig([{ name: 'key-a', qps: 50, rpm: 3000 }, { name: 'key-b', qps: 50, rpm: 3000 }], { strategy: 'round_robin' }));
    const registry = new Registry();
    registerKeyPoolMetrics(pool, registry);
    const first = await pool.acquire();
    pool.release(first, { kind: 'success', latencyMs: 120, status: 200 });
    const second = await pool.acquire();
    pool.release(second, { kind: 'auth', latencyMs: 10, status: 401 });
    const text = await registry.metrics();
    expect(text).toMatch(/^api_key_available_count 1$/m);
    expect(text).toMatch(new RegExp(`^api_key_slots_passed_over\\{key="${first.keyName}"\\} 0$`, 'm'));
    expect(text).toMatch(/^api_key_slot_tolerance_ms \d+(\.\d+)?$/m);
    expect(text).toMatch(new RegExp(`^api_key_success_rate\\{key="${first.keyName}"\\} 1$`, 'm'));
    expect(text).toMatch(new RegExp(`^api_key_avg_latency_ms\\{key="${first.keyName}"\\} 120$`, 'm'));
    expect(text).toMatch(new RegExp(`^api_key_state\\{key="${second.keyName}",state="disabled"\\} 1$`, 'm'));
    expect(text).toMatch(new RegExp(`^api_key_requests_total\\{key="${second.keyName}",outcome="auth"\\} 1$`, 'm'));
    expect(text).toMatch(new RegExp(`^api_key_disabled_total\\{key="${second.keyName}"\\} 1$`, 'm'));
    expect(text).not.toContain('sk-test');
    pool.close();
  });
});
