// Calls the provider's OpenAI-compatible chat API with a leased key and reports what happened as a LeaseOutcome.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Lease } from '../keypool/keyPool.js';
import { classifyStatus, parseRetryAfter, type LeaseOutcome } from '../keypool/outcome.js';
import type { AttemptResult } from '../keypool/executeWithPool.js';

export interface LlmClientOptions {
  baseUrl: string;
  model: string;
  timeoutMs: number;
}

export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface LlmClient {
  complete(lease: Lease, request: ChatRequest): Promise<AttemptResult<string>>;
}

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
  // One SDK client per key value: the SDK keeps the key in its headers; retries are ours (maxRetries 0).
  const clients = new Map<string, OpenAI>();
  const clientFor = (apiKey: string): OpenAI => {
    let client = clients.get(apiKey);
    if (!client) {
      client = new OpenAI({ apiKey, baseURL: options.baseUrl, maxRetries: 0, timeout: options.timeoutMs });
      clients.set(apiKey, client);
    }
    return client;
  };

  return {
    async complete(lease, request) {
      const started = performance.now();
      try {
        const completion = await clientFor(lease.apiKey).chat.completions.create(
          { model: options.model, messages: request.messages, max_tokens: request.maxTokens },
          { signal: request.signal },
        );
        const latencyMs = performance.now() - started;
        return {
          outcome: { kind: 'success', latencyMs, status: 200, tokens: completion.usage?.total_tokens ?? null },
          value: completion.choices[0]?.message?.content ?? '',
        };
      } catch (error) {
        return { outcome: failure(error, performance.now() - started) };
      }
    },
  };
}
