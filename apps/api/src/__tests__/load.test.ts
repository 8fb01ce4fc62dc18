import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFrom as post, type PostAnswer as Answer } from '@tokenlane/test-harness';
import { DEMO } from './helpers.js';
import { startApi, type RunningApi } from './process.js';

// Abuse from one client against the real server process, on loopback. Every loop is bounded in
// count and time. A second loopback address (127.0.0.2) plays the legitimate user.

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

/**
 * The server's old-generation heap, MiB: small enough that keeping what each abusive request
 * carries (20,000 logins x 16 kB = 305 MiB) runs it out of memory, large enough for its own needs.
 */
const HEAP_CAP_MIB = 64;

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({
    DATABASE_PATH: ':memory:',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${HEAP_CAP_MIB}`,
  });
}, 60_000);
afterAll(() => api.stop());

describe('under abuse from one client', () => {
  it(`keeps its memory: 20,000 logins with unique 16 kB emails (305 MiB) on a ${HEAP_CAP_MIB} MiB heap, every one answered 400, and it still answers after`, async () => {
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
    // Keeping the emails would have ended the process (its heap is capped). Resident memory, which
    // the collector's timing moves by tens of MiB, gets a bound far below what they weigh.
    expect(api.child.exitCode).toBeNull();
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    expect(rssMiB(api.child.pid!) - before).toBeLessThan(150);
    agent.destroy();
  }, 180_000);

  it('lets a real login through while 40 concurrent logins with made-up emails run, and refuses most of the flood with Retry-After', async () => {
    const user = new Agent({ keepAlive: true });
    const realLogin = async () =>
      (
        await post(
          `${api.url}/auth/login`,
          JSON.stringify({ email: DEMO.email, password: DEMO.password }),
          user,
          '127.0.0.2',
        )
      ).status;

    const attacker = new Agent({ keepAlive: true, maxSockets: 40 });
    const answers: Answer[] = [];
    // The flood runs until the user's logins are in (bounded: 100,000 requests or 50 s).
    let userDone = false;
    const hardStop = performance.now() + 50_000;
    let sent = 0;
    const flooding = () => performance.now() < hardStop && sent < 100_000;
    const flood = Promise.all(
      Array.from({ length: 40 }, async () => {
        while (!userDone && flooding()) {
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
    // Each while the flood runs (how long they take is `npm run bench`'s to measure, not a test's).
    const during = [await realLogin(), await realLogin(), await realLogin()];
    const floodRunning = flooding();
    userDone = true;
    await flood;
    attacker.destroy();
    user.destroy();

    expect({ during, floodRunning }).toEqual({ during: [200, 200, 200], floodRunning: true });
    const refused = answers.filter((a) => a.status === 429 || a.status === 503);
    expect(refused.length).toBeGreaterThan(answers.length / 2);
    expect(refused.every((a) => Number(a.headers['retry-after']) > 0)).toBe(true);
    expect(answers.every((a) => [401, 429, 503].includes(a.status))).toBe(true);
  }, 60_000);
});
