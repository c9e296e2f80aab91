// Group commit of the Kafka producer: sends arriving while a request is in flight share the next request, within
// one batch's budget; each send settles with its own request; a send larger than a request goes in chunks.
import { describe, expect, it } from 'vitest';
import { createSendCoalescer, type TopicMessages } from '../../../../backend/bus/kafka/sendCoalescer.js';

function fakeBroker() {
  const requests: TopicMessages[][] = [];
  let release: (() => void)[] = [];
  let failNext = false;
  const request = (topics: TopicMessages[]): Promise<void> => {
    requests.push(topics);
    return new Promise<void>((resolve, reject) => release.push(() => (failNext ? ((failNext = false), reject(new Error('broker away'))) : resolve())));
  };
  const ackAll = async (): Promise<void> => {
    const pending = release;
    release = [];
    for (const ack of pending) ack();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { requests, request, ackAll, failNextRequest: () => (failNext = true) };
}

const message = (value: string) => ({ key: 'cam', value });

describe('bus > kafka > send coalescer', () => {
  it('sends the first at once and those that came during its request together in the next, by topic', async () => {
    const broker = fakeBroker();
    const send = createSendCoalescer(broker.request, 1_048_576);
    const settled: string[] = [];
    const track = (name: string, sent: Promise<void>) => sent.then(() => settled.push(name));
    const first = track('a', send('frames', [message('a')]));
    const later = [track('b', send('frames', [message('b')])), track('c', send('tasks', [message('c')])), track('d', send('frames', [message('d')]))];
    expect(broker.requests).toEqual([[{ topic: 'frames', messages: [message('a')] }]]);
    await broker.ackAll();
    await first;
    expect(settled).toEqual(['a']);
    expect(broker.requests[1]).toEqual([
      { topic: 'frames', messages: [message('b'), message('d')] },
      { topic: 'tasks', messages: [message('c')] },
    ]);
    await broker.ackAll();
    await Promise.all(later);
    expect(settled).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails exactly the sends of a failed request, and keeps the budget of one batch per request', async () => {
    const broker = fakeBroker();
    // Room for about two of these 400-byte records in a request.
    const send = createSendCoalescer(broker.request, 984 + 900);
    const big = (name: string) => message(name.repeat(400));
    const first = send('frames', [big('a')]).then(() => 'ok', (error: Error) => error.message);
    const rest = ['b', 'c', 'd'].map((name) => send('frames', [big(name)]).then(() => 'ok', (error: Error) => error.message));
    broker.failNextRequest();
    await broker.ackAll();
    expect(await first).toBe('broker away');
    expect(broker.requests[1]![0]!.messages).toHaveLength(2);
    await broker.ackAll();
    await broker.ackAll();
    expect(await Promise.all(rest)).toEqual(['ok', 'ok', 'ok']);
    expect(broker.requests.map((request) => request[0]!.messages.length)).toEqual([1, 2, 1]);
  });

  it('sends one send larger than a request in chunks, in order', async () => {
    const broker = fakeBroker();
    const send = createSendCoalescer(broker.request, 984 + 900);
    const sent = send('frames', ['a', 'b', 'c'].map((name) => message(name.repeat(400))));
    await broker.ackAll();
    await broker.ackAll();
    await sent;
    expect(broker.requests.map((request) => request[0]!.messages.map((entry) => String(entry.value)[0]))).toEqual([['a', 'b'], ['c']]);
  });
});
