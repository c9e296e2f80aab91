import { afterEach, describe, expect, it } from 'vitest';
import { apiKeysConfigSchema } from '../../../backend/config/index.js';
import { generatedKeys, keysFromConfig, simApiKey } from '../../../backend/llmsim/simKeys.js';
import { startLlmSim, type LlmSim, type LlmSimOptions } from '../../../backend/llmsim/simServer.js';

let sim: LlmSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function start(overrides: Partial<LlmSimOptions> = {}): Promise<LlmSim> {
  sim = await startLlmSim({ host: '127.0.0.1', port: 0, keys: generatedKeys(2, 3, 100), latencyMs: 5, jitterMs: 0, errorRate: 0, malformedRate: 0, seed: 1, ...overrides });
  return sim;
}

function chat(server: LlmSim, apiKey: string, content = '行人与车辆距离 3 米，请评估风险'): Promise<Response> {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'qwen-vl-plus', messages: [{ role: 'user', content: [{ type: 'text', text: content }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } }] }] }),
  });
}

describe('llmsim > server (over HTTP)', () => {
  it('answers a chat completion with a well-formed risk assessment, the same for the same request', async () => {
    const server = await start();
    const first = (await (await chat(server, simApiKey('key-001'))).json()) as { choices: { message: { content: string } }[]; usage: { total_tokens: number } };
    const second = (await (await chat(server, simApiKey('key-002'))).json()) as typeof first;
    const answer = JSON.parse(first.choices[0]!.message.content) as Record<string, unknown>;
    expect(answer).toMatchObject({ risk_level: expect.stringMatching(/^(none|low|medium|high|critical)$/), risk_score: expect.any(Number), description: expect.any(String) });
    expect(answer.description).toMatch(/[\u4e00-\u9fff]/);
    expect(second.choices[0]!.message.content).toBe(first.choices[0]!.message.content);
    expect(first.usage.total_tokens).toBeGreaterThan(0);
  });

  it('answers 429 with Retry-After and a DashScope-style body beyond a key QPS, and counts it', async () => {
    const server = await start();
    const before = Date.now();
    const responses = await Promise.all(Array.from({ length: 5 }, () => chat(server, simApiKey('key-001'))));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = responses.find((response) => response.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { code: 'limit_requests' }, request_id: expect.any(String) });
    expect(server.stats().keys['key-001']).toMatchObject({ ok: 3, http_429: 2, max_in_1s: 3 });
    expect(server.stats().keys['key-002']).toMatchObject({ requests: 0 });
    // When each refusal arrived, so that a benchmark can set them beside its kills and rebalances.
    const refused = server.stats().rate_limited;
    expect(refused.map((refusal) => refusal.key)).toEqual(['key-001', 'key-001']);
    for (const refusal of refused) expect(refusal.at_ms).toBeGreaterThanOrEqual(before - 1);
    for (const refusal of refused) expect(refusal.at_ms).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('reports how long its own event loop stalled, the spread its arrival times can carry', async () => {
    const server = await start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const stalledFrom = performance.now();
    while (performance.now() - stalledFrom < 120) {
      // The simulator shares this process: a busy loop is its stall.
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    const delay = (await (await fetch(`${server.url}/stats`)).json()) as { event_loop_delay_ms: { p99: number; max: number } };
    expect(delay.event_loop_delay_ms.max).toBeGreaterThanOrEqual(100);
    expect(delay.event_loop_delay_ms.p99).toBeLessThanOrEqual(delay.event_loop_delay_ms.max);
  });

  it('enforces an account RPM shared by its keys', async () => {
    const config = apiKeysConfigSchema.parse({
      allow_plaintext_keys: true,
      accounts: [{ name: 'acct', rpm_limit: 3 }],
      keys: ['a', 'b'].map((name) => ({ name, api_key: `sk-sim-${name}-00000000`, qps_limit: 10, rpm_limit: 100, account: 'acct' })),
    });
    const server = await start({ keys: keysFromConfig(config, {}) });
    const statuses = [];
    for (const key of ['a', 'b', 'a', 'b']) statuses.push((await chat(server, `sk-sim-${key}-00000000`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(server.stats().accounts.acct).toMatchObject({ rpm_limit: 3, max_in_60s: 3, http_429: 1 });
  });

  it('answers 401 for unknown and revoked keys, and again 200 once restored', async () => {
    const server = await start({ keys: generatedKeys(2, 10, 600) });
    expect((await chat(server, 'sk-unknown-000000000')).status).toBe(401);
    server.revoke('key-002');
    const revoked = await chat(server, simApiKey('key-002'));
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    await fetch(`${server.url}/admin/keys/key-002/restore`, { method: 'POST' });
    expect((await chat(server, simApiKey('key-002'))).status).toBe(200);
    expect(server.stats().totals.http_401).toBe(2);
  });

  it('injects 5xx and malformed content at the configured rates, reproducibly', async () => {
    const counts = async (): Promise<{ s5xx: number; malformed: number }> => {
      const server = await start({ keys: generatedKeys(1, 1000, 60_000), latencyMs: 0, errorRate: 0.2, malformedRate: 0.2, seed: 7 });
      let s5xx = 0;
      let malformed = 0;
      for (let i = 0; i < 100; i++) {
        const response = await chat(server, simApiKey('key-001'), `request ${i}`);
        if (response.status >= 500) s5xx += 1;
        else {
          const body = (await response.json()) as { choices: { message: { content: string } }[] };
          try {
            JSON.parse(body.choices[0]!.message.content);
          } catch {
            malformed += 1;
          }
        }
      }
      expect(server.stats().totals).toMatchObject({ http_5xx: s5xx, malformed });
      await server.close();
      sim = null;
      return { s5xx, malformed };
    };
    const first = await counts();
    expect(first.s5xx).toBeGreaterThan(8);
    expect(first.s5xx).toBeLessThan(35);
    expect(first.malformed).toBeGreaterThan(8);
    expect(first.malformed).toBeLessThan(35);
    expect(await counts()).toEqual(first);
  });

  it('rejects a body that is not a chat request with 400, and lists models for a valid key', async () => {
    const server = await start();
    const bad = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${simApiKey('key-001')}` }, body: '{"model": 1' });
    expect(bad.status).toBe(400);
    const models = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${simApiKey('key-001')}` } });
    expect(((await models.json()) as { data: { id: string }[] }).data.map((model) => model.id)).toContain('qwen-vl-plus');
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(401);
  });
});
