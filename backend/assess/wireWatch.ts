// When a request's headers actually reach its socket. fetch() only queues a request: a process starved of CPU
// right after a grant writes it a hundred ms later, and then it reaches the provider in the next send slot's
// window (seen as a 429 under the load of an instance booting beside three others on two cores). Node's fetch
// (undici) publishes every write on a diagnostics channel; a request is recognised there by its tag header.
import diagnosticsChannel from 'node:diagnostics_channel';

/** An opaque number per request of this process (it carries nothing of the key or the task). */
export const WIRE_TAG_HEADER = 'x-tcr-request';

const waiting = new Map<string, () => void>();
let nextTag = 0;
let subscribed = false;

function tagOf(headers: unknown): string | null {
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === WIRE_TAG_HEADER) return String(headers[index + 1]);
    }
    return null;
  }
  if (typeof headers === 'string') {
    const match = new RegExp(`(?:^|\\r\\n)${WIRE_TAG_HEADER}:\\s*(\\S+)`, 'i').exec(headers);
    return match ? match[1]! : null;
  }
  return null;
}

function onSendHeaders(message: unknown): void {
  const tag = tagOf((message as { request?: { headers?: unknown } }).request?.headers);
  if (tag === null) return;
  const written = waiting.get(tag);
  waiting.delete(tag);
  written?.();
}

/** A new tag whose request's write calls `written` once; `forget` it when the request is over. */
export function watchWrite(written: () => void): { tag: string; forget(): void } {
  if (!subscribed) {
    diagnosticsChannel.subscribe('undici:client:sendHeaders', onSendHeaders);
    subscribed = true;
  }
  const tag = String(++nextTag);
  waiting.set(tag, written);
  return { tag, forget: () => waiting.delete(tag) };
}
