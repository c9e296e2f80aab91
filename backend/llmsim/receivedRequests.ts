// What the simulator received, kept for tests and benchmarks to assert on: the prompt text, the images (size and
// hash) and the model name exactly as they arrived, and under which key (its name, never its value).
import { createHash } from 'node:crypto';
import { requestText } from './riskAnswer.js';

export interface ReceivedImage {
  media_type: string;
  bytes: number;
  sha256: string;
}

export interface ReceivedRequest {
  id: number;
  at_ms: number;
  key_name: string | null;
  model: string;
  text: string;
  images: ReceivedImage[];
  max_tokens: number | null;
  messages: number;
}

const KEEP = 5000;
const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imagesOf(messages: readonly { content?: unknown }[]): ReceivedImage[] {
  const images: ReceivedImage[] = [];
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as { type?: unknown; image_url?: { url?: unknown } }[]) {
      const url = part.type === 'image_url' && typeof part.image_url?.url === 'string' ? part.image_url.url : null;
      const match = url === null ? null : DATA_URL.exec(url);
      if (!match) continue;
      const bytes = Buffer.from(match[2]!, 'base64');
      images.push({ media_type: match[1]!, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  }
  return images;
}

export class ReceivedRequests {
  private readonly kept: ReceivedRequest[] = [];
  private nextId = 1;

  record(body: { model: string; messages: { role: string; content: unknown }[]; max_tokens?: unknown }, keyName: string | null): void {
    this.kept.push({
      id: this.nextId++,
      at_ms: Date.now(),
      key_name: keyName,
      model: body.model,
      text: requestText(body.messages),
      images: imagesOf(body.messages),
      max_tokens: typeof body.max_tokens === 'number' ? body.max_tokens : null,
      messages: body.messages.length,
    });
    if (this.kept.length > KEEP) this.kept.splice(0, this.kept.length - KEEP);
  }

  /** Requests with an id above `afterId`, oldest first. */
  since(afterId: number): ReceivedRequest[] {
    return this.kept.filter((request) => request.id > afterId);
  }
}
