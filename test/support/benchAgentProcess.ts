// A `tcr bench agent` process on a free loopback port, as another host of the cluster runs it.
import { spawn, type ChildProcess } from 'node:child_process';

export async function startBenchAgentProcess(dir: string, token: string): Promise<{ agent: ChildProcess; url: string }> {
  const agent = spawn(process.execPath, ['bin/tcr.js', 'bench', 'agent', '--port', '0', '--dir', dir], { env: { ...process.env, TCR_BENCH_AGENT_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    agent.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /bench agent on (http\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    agent.once('exit', (code) => reject(new Error(`the bench agent exited with ${code}`)));
  });
  return { agent, url };
}
