// What the gateway shows, as the process that hosts it provides it (wired in backend/app.ts).
import type { Registry } from 'prom-client';
import type { CameraView, KeyPoolHealth, PipelineSample } from '../contracts/index.js';
import type { ResultStore } from '../results/resultStore.js';

export interface GatewayViews {
  registry: Registry;
  /** Liveness: 200 while the process works, 503 with the reason otherwise. */
  health(): { ok: boolean; [detail: string]: unknown };
  /** Readiness: every role started and consuming, the store open. */
  readiness(): { ready: boolean; reasons: string[] };
  /** null: no key pool in this process (the rules assessor, or the scheduler runs elsewhere). */
  keyPoolHealth(): KeyPoolHealth | null;
  store: ResultStore;
  cameras(): CameraView[];
  pipeline(): Promise<PipelineSample>;
}
