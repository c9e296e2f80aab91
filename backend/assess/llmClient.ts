// Calls the provider's OpenAI-compatible chat API with a leased key and reports what happened as a LeaseOutcome.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Lease } from '../keypool/keyPool.js';
import { classifyStatus, parseRetryAfter, type LeaseOutcome } from '../keypool/outcome.js';
import type { AttemptResult } from '../keypool/executeWithPool.js';
import { watchWrite, WIRE_TAG_HEADER } from './wireWatch.js';

export interface LlmClientOptions {
  baseUrl: string;
  model: string;
  timeoutMs: number;
  /** Called as a lease's request leaves (after the SDK's own preparation): the pool measures grant-to-send. */
  onSend?: (lease: Lease) => void;
  /** Called as the request's headers reach the socket, which a starved process does long after onSend. */
  onWire?: (lease: Lease) => void;
}

/** Marks a request with its lease on its way to fetch; removed before anything is sent. */
const LEASE_HEADER = 'x-tcr-lease';

export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface LlmClient {
  complete(lease: Lease, request: ChatRequest): Promise<AttemptResult<string>>;
  /**
   * Opens `connections` (at most 64) keep-alive connections to the endpoint with unauthenticated GETs of its model
   * list (no key, so no key's limit is spent), resolving with how many answered. A request that must open its
   * connection reached llm-sim up to 120 ms after its send slot, past the jitter budget, as a scheduler ramped up.
   */
  warmUp(connections: number): Promise<number>;
}

/** A warm-up GET that gets no answer in this long is given up (the endpoint is down: the circuit will show it). */
const WARM_UP_TIMEOUT_MS = 5000;
/** More at once would look like a flood to the provider's edge; beyond it connections open as the load grows. */
const MAX_WARM_UP_CONNECTIONS = 64;

function failure(error: unknown, latencyMs: number): LeaseOutcome {
  if (error instanceof OpenAI.APIUserAbortError) return { kind: 'cancelled', latencyMs, status: null, error: 'cancelled' };
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { kind: 'server', latencyMs, status: null, error: 'timeout' };
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const code = typeof error.code === 'string' ? ` ${error.code}` : '';
    return {
      kind: classifyStatus(error.status),
      latencyMs,
      status: error.status,
      retryAfterMs: parseRetryAfter(error.headers?.get('retry-after'), Date.now()),
      error: `HTTP ${error.status}${code}`,
    };
  }
  // Connection refused or reset: no status; the key is not to blame but the endpoint is failing.
  return { kind: 'server', latencyMs, status: null, error: error instanceof Error ? error.message.slice(0, 200) : 'request failed' };
}

export function createLlmClient(options: LlmClientOptions): LlmClient {
  const sending = new Map<string, Lease>();
  let calls = 0;
  const fetchAndReport: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    const id = headers.get(LEASE_HEADER);
    if (id !== null) {
      headers.delete(LEASE_HEADER);
      const lease = sending.get(id);
      if (lease) options.onSend?.(lease);
    }
    return fetch(input, { ...init, headers });
  };
  // One SDK client per key value: the SDK keeps the key in its headers; retries are ours (maxRetries 0).
  const clients = new Map<string, OpenAI>();
  const clientFor = (apiKey: string): OpenAI => {
    let client = clients.get(apiKey);
    if (!client) {
      client = new OpenAI({ apiKey, baseURL: options.baseUrl, maxRetries: 0, timeout: options.timeoutMs, fetch: fetchAndReport });
      clients.set(apiKey, client);
    }
    return client;
  };

  return {
    async complete(lease, request) {
      const started = performance.now();
      const id = String(++calls);
      sending.set(id, lease);
      const wire = watchWrite(() => options.onWire?.(lease));
      try {
        const completion = await clientFor(lease.apiKey).chat.completions.create(
          { model: options.model, messages: request.messages, max_tokens: request.maxTokens },
          { signal: request.signal, headers: { [LEASE_HEADER]: id, [WIRE_TAG_HEADER]: wire.tag } },
        );
        const latencyMs = performance.now() - started;
        return {
          outcome: { kind: 'success', latencyMs, status: 200, tokens: completion.usage?.total_tokens ?? null },
          value: completion.choices[0]?.message?.content ?? '',
        };
      } catch (error) {
        return { outcome: failure(error, performance.now() - started) };
      } finally {
        sending.delete(id);
        wire.forget();
      }
    },
    async warmUp(connections) {
      const url = `${options.baseUrl.replace(/\/+$/, '')}/models`;
      const answers = await Promise.allSettled(
        Array.from({ length: Math.min(connections, MAX_WARM_UP_CONNECTIONS) }, async () => {
          const response = await fetch(url, { signal: AbortSignal.timeout(WARM_UP_TIMEOUT_MS) });
          // Read to the end, or the connection is not handed back to the pool for the next request.
          await response.arrayBuffer();
        }),
      );
      return answers.filter((answer) => answer.status === 'fulfilled').length;
    },
  };
}
