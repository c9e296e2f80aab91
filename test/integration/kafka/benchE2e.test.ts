// `tcr bench e2e` as a site's acceptance run is made: every role a process of its own on a broker of this test's
// (so stopping it disturbs no other test), a few cameras looping the real clips, and four faults. What it counts
// must hold however few the cameras: every task one outcome, every malformed record one dead letter, every
// fault's alert raised and cleared, the broker's restart recovered, and the report's charts drawn.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchAgentProcess } from '../../support/benchAgentProcess.js';
import { restartableBroker } from '../../support/restartableBroker.js';
import { useTempDir } from '../../support/tempDir.js';

const run = promisify(execFile);
const PORT = 39096;
const broker = restartableBroker(PORT);
beforeAll(() => {
  broker.destroy();
  broker.start();
}, 120_000);
afterAll(() => broker.destroy(), 60_000);

describe('kafka > tcr bench e2e', () => {
  const temp = useTempDir();

  it('accounts for every task through a revoked key, malformed bursts, a camera taken away and the broker restarted', async () => {
    const [json, report] = [temp.path('out.json'), temp.path('out.md')];
    const faults = 'key_revoked,malformed_burst,camera_killed,broker_stopped';
    const args = ['bin/tcr.js', 'bench', 'e2e', '--brokers', broker.address, '--cameras', '3', '--keys', '2', '--duration', '60', '--warmup', '3', '--faults', faults, '--broker-control', `bash ${broker.script}`, '--json', json, '--report', report];
    // Three cameras cannot reach the design's 50 or 25 groups/s: the run exits 1 for those targets, and says so.
    const exit = await run(process.execPath, args, { env: { ...process.env, ...broker.env }, maxBuffer: 64 * 2 ** 20, timeout: 420_000 }).then(
      () => 0,
      (error: { code?: number; stderr?: string }) => {
        if (error.code !== 1) throw new Error(`bench e2e failed: ${error.stderr?.slice(-4000)}`);
        return 1;
      },
    );
    expect(exit).toBe(1);
    const figures = JSON.parse(readFileSync(json, 'utf8'));
    expect(figures.targets.filter((target: { pass: boolean }) => !target.pass).map((target: { name: string }) => target.name).sort()).toEqual(
      expect.arrayContaining(['cameras concurrently', 'throughput (steady)']),
    );
    expect(figures).toMatchObject({ cameras: 3, cameras_live_at_end: 3, lost: 0, duplicates: 0, not_stored: 0, malformed_sent: 30, malformed_dead_lettered_once: 30 });
    expect(figures.tasks_in).toBeGreaterThan(20);
    expect(figures.results_out).toBe(figures.tasks_in - figures.dlq_tasks);
    // Each malformed kind on each of the three consumed topics, with the reason its stage owes it.
    for (const stage of ['expander', 'scheduler', 'results']) {
      for (const code of ['invalid_json', 'invalid_utf8', 'unsupported_schema_version', 'invalid_message', 'tombstone']) expect(figures.dlq[`${stage}:${code}`]).toBe(2);
    }
    const byFault = Object.fromEntries(figures.faults.map((fault: { fault: string }) => [fault.fault, fault]));
    expect(Object.keys(byFault).sort()).toEqual(faults.split(',').sort());
    for (const fault of Object.values(byFault) as { fault: string; recovery_s: number | null; alert: { fired: boolean; cleared: boolean } }[]) {
      expect({ fault: fault.fault, fired: fault.alert.fired, cleared: fault.alert.cleared, recovered: fault.recovery_s !== null }).toEqual({ fault: fault.fault, fired: true, cleared: true, recovered: true });
    }
    expect(byFault.key_revoked.alert).toMatchObject({ check: 'key_disabled', subject: 'key-001' });
    expect(byFault.camera_killed.alert).toMatchObject({ check: 'camera_down', subject: 'e2e-003' });
    expect(byFault.broker_stopped.alert.check).toBe('broker_unreachable');
    expect(Object.keys(figures.cpu_cores_used)).toEqual(expect.arrayContaining(['detection', 'expander', 'results', 'gateway', 'scheduler-1', 'llm-sim', 'kafka-broker', 'bench']));

    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toMatch(/\| no message lost \| lost = 0 \| 0 \| pass \|/);
    for (const chart of ['latency', 'throughput', 'lag']) {
      const png = temp.path(`out-${chart}.png`);
      expect(existsSync(png)).toBe(true);
      expect(readFileSync(png).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(markdown).toContain(`![out-${chart}](out-${chart}.png)`);
    }
  }, 480_000);

  it('runs detection and the expander on another host through its bench agent, and takes that host\'s camera away', async () => {
    const token = 'bench-e2e-test-token-0123456789';
    const agentDir = temp.path('agent');
    const { agent, url } = await startBenchAgentProcess(temp.path('agent'), token);
    try {
      const json = temp.path('split.json');
      const args = ['bin/tcr.js', 'bench', 'e2e', '--brokers', broker.address, '--cameras', '2', '--keys', '2', '--duration', '20', '--warmup', '3', '--faults', 'camera_killed', '--agent', `detection=${url}`, '--agent', `expander=${url}`, '--keep-files', '--json', json];
      // Two cameras cannot reach the design's targets: exit 1, with the figures written.
      await run(process.execPath, args, { env: { ...process.env, ...broker.env, TCR_BENCH_AGENT_TOKEN: token }, maxBuffer: 64 * 2 ** 20, timeout: 300_000 }).catch((error: { code?: number; stderr?: string }) => {
        if (error.code !== 1 || !existsSync(json)) throw new Error(`bench e2e failed (${error.code}): ${error.stderr?.slice(-4000)}`);
      });
      const figures = JSON.parse(readFileSync(json, 'utf8'));
      expect(figures).toMatchObject({ cameras: 2, cameras_live_at_end: 2, lost: 0, duplicates: 0, not_stored: 0 });
      expect(figures.tasks_in).toBeGreaterThan(5);
      expect(figures.faults[0]).toMatchObject({ fault: 'camera_killed', alert: { check: 'camera_down', subject: 'e2e-002', fired: true, cleared: true } });
      // Their CPU was read by the agent, and their files and logs are on its host.
      expect(figures.cpu_cores_used.detection).toBeGreaterThan(0);
      expect(figures.cpu_cores_used.expander).toBeGreaterThan(0);
      for (const role of ['detection', 'expander']) expect(readFileSync(join(agentDir, figures.run_id, 'logs', `${role}.log`), 'utf8')).toContain(`${figures.run_id}-${role}`);
      expect(existsSync(join(agentDir, figures.run_id, 'cameras', 'e2e-002.mp4'))).toBe(true);
    } finally {
      agent.kill('SIGTERM');
    }
  }, 360_000);
});
