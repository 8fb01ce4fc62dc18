import { readFileSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './helpers.js';
import { startApi, type RunningApi } from './process.js';

// Abuse from one client against the real server process, on loopback. Every loop is bounded in
// count and time. A second loopback address (127.0.0.2) plays the legitimate user.

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
}

function post(
  url: string,
  body: string,
  agent: Agent,
  localAddress = '127.0.0.1',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        localAddress,
        headers: {
          'Content-Type': 'application/json',
          'X-Requested-With': 'load-test',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The process's resident memory, MiB (Linux). */
const rssMiB = (pid: number) => {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `count` jobs, `concurrency` at a time. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ DATABASE_PATH: ':memory:' });
}, 60_000);
afterAll(() => api.stop());

describe('under abuse from one client', () => {
  it('keeps its memory: 20,000 logins with unique 16 kB emails leave RSS within 50 MiB', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const filler = 'x'.repeat(16_000);
    const flood = (from: number, count: number) =>
      pool(count, 32, async (i) => {
        const email = `${from + i}-${filler}@example.com`;
        const { status } = await post(`${api.url}/auth/login`, JSON.stringify({ email }), agent);
        expect(status).toBe(400);
      });
    await flood(0, 1_000); // warm-up: code paths compiled, buffers allocated
    await sleep(1_000);
    const before = rssMiB(api.child.pid!);
    await flood(1_000, 20_000);
    await sleep(2_000);
    const after = rssMiB(api.child.pid!);
    expect(after - before).toBeLessThan(50);
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    agent.destroy();
  }, 180_000);

  it('keeps a real login fast while 40 concurrent logins with made-up emails run for 10 s', async () => {
    const user = new Agent({ keepAlive: true });
    const realLogin = async () => {
      const started = performance.now();
      const { status } = await post(
        `${api.url}/auth/login`,
        JSON.stringify({ email: DEMO.email, password: DEMO.password }),
        user,
        '127.0.0.2',
      );
      expect(status).toBe(200);
      return performance.now() - started;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
    const unloaded = median([await realLogin(), await realLogin(), await realLogin()]);

    const attacker = new Agent({ keepAlive: true, maxSockets: 40 });
    const answers: Answer[] = [];
    const until = performance.now() + 10_000;
    let sent = 0;
    const flood = Promise.all(
      Array.from({ length: 40 }, async () => {
        while (performance.now() < until && sent < 100_000) {
          const email = `guess-${sent++}@example.com`;
          answers.push(
            await post(
              `${api.url}/auth/login`,
              JSON.stringify({ email, password: 'Spring2026!' }),
              attacker,
            ),
          );
        }
      }),
    );
    await sleep(1_000);
    const loaded = median([await realLogin(), await realLogin(), await realLogin()]);
    await flood;
    attacker.destroy();
    user.destroy();

    expect(loaded).toBeLessThan(unloaded + 1_000);
    const refused = answers.filter((a) => a.status === 429 || a.status === 503);
    expect(refused.length).toBeGreaterThan(answers.length / 2);
    expect(refused.every((a) => Number(a.headers['retry-after']) > 0)).toBe(true);
    expect(answers.every((a) => [401, 429, 503].includes(a.status))).toBe(true);
  }, 60_000);
});
