import { describe, expect, it } from 'vitest';
import { ADMIN, DEMO, login, makeTestApp } from './helpers.js';
import { serveLive } from './liveServer.js';

// Issue 35: /api/events (Server-Sent Events). The token in the header; `ready` names the stream;
// a new token is posted for it; at the expiry `expired` ends it; Last-Event-ID resumes.

const serve = serveLive;

/** Opens the stream and collects its events (`event data`), until it ends. */
async function open(base: string, token: string, lastEventId?: string) {
  const answer = await fetch(`${base}/api/events`, {
    headers: {
      Authorization: `Bearer ${token}`,
      ...(lastEventId !== undefined && { 'Last-Event-ID': lastEventId }),
    },
  });
  const events: string[] = [];
  const waiters: Array<() => void> = [];
  const reader = answer.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  let buffered = '';
  const ended = (async () => {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffered += decoder.decode(read.value, { stream: true });
      const blocks = buffered.split('\n\n');
      buffered = blocks.pop()!;
      for (const block of blocks) {
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        events.push(`${field('id') ?? '-'} ${field('event')} ${field('data')}`);
      }
      waiters.splice(0).forEach((wake) => wake());
    }
  })();
  const count = async (n: number) => {
    while (events.length < n) await new Promise<void>((wake) => waiters.push(wake));
    return events.slice(0, n);
  };
  return { answer, events, count, ended, cancel: () => reader.cancel() };
}

const post = (base: string, path: string, token: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the event stream', () => {
  it("streams the user's changes with ids, takes a new token for the stream, and resumes after Last-Event-ID", async () => {
    const t = await makeTestApp();
    const base = await serve(t);
    const demo = await login(t.app, DEMO);
    const stream = await open(base, demo.accessToken);
    expect(stream.answer.headers.get('content-type')).toBe('text/event-stream');
    const [ready] = await stream.count(1);
    const id = (JSON.parse(ready!.split(' ').slice(2).join(' ')) as { stream: string }).stream;
    for (const title of ['one', 'two']) {
      expect((await post(base, '/api/todos', demo.accessToken, { title })).status).toBe(201);
    }
    const events = await stream.count(3);
    expect(events.slice(1).map((event) => event.split(' ').slice(0, 2).join(' '))).toEqual([
      '1 todo',
      '2 todo',
    ]);
    expect((await post(base, '/api/events/auth', demo.accessToken, { stream: id })).status).toBe(
      204,
    );
    const admin = await login(t.app, ADMIN);
    expect((await post(base, '/api/events/auth', admin.accessToken, { stream: id })).status).toBe(
      403,
    );
    await stream.cancel();

    // Missed while away: a third change, then a stream that resumes after event 2.
    expect((await post(base, '/api/todos', demo.accessToken, { title: 'three' })).status).toBe(201);
    const resumed = await open(base, demo.accessToken, '2');
    expect((await resumed.count(2))[1]).toMatch(/^3 todo .*"three"/);
    await resumed.cancel();
  });

  it('says `expired` and ends at the expiry; refuses a stream without a valid token', async () => {
    const t = await makeTestApp({ accessTokenTtlSeconds: 60 });
    const base = await serve(t);
    t.advance(-58_000);
    const session = await login(t.app, DEMO);
    t.advance(58_000);
    const stream = await open(base, session.accessToken);
    await stream.ended;
    expect(stream.events.map((event) => event.split(' ')[1])).toEqual(['ready', 'expired']);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
  });
});
