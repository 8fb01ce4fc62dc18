// A real user's login while one client floods POST /auth/login with made-up emails: how long the
// user waits, before and during the flood. The API runs as shipped (its own process, default
// limits): the flood is one IP, the user another (127.0.0.2).
import { Agent } from 'node:http';
import { DEMO, postFrom, startApiProcess } from '@tokenlane/test-harness';
import { round, sleep } from './util.js';

const FLOOD_CONNECTIONS = 40;
/** The user's logins measured before the flood, and again during it. */
const LOGINS = 9;
/** Bounds the flood whatever happens: requests, and seconds. */
const MAX_FLOOD_REQUESTS = 200_000;
const MAX_FLOOD_MS = 60_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

export interface FloodResult {
  userLogins: number;
  unloadedMedianMs: number;
  duringFloodMedianMs: number;
  floodRequests: number;
  /** The flood's answers by status: 401 (hashed, wrong), 429 and 503 (refused, with Retry-After). */
  floodStatuses: Record<string, number>;
}

export async function floodBenchmark(): Promise<FloodResult> {
  const api = await startApiProcess({ DATABASE_PATH: ':memory:' }, { built: true });
  const user = new Agent({ keepAlive: true });
  const attacker = new Agent({ keepAlive: true, maxSockets: FLOOD_CONNECTIONS });
  try {
    const login = async () => {
      const started = performance.now();
      const body = JSON.stringify({ email: DEMO.email, password: DEMO.password });
      const { status } = await postFrom(`${api.url}/auth/login`, body, user, '127.0.0.2');
      // Only a successful login counts: a refused one would make a fast, meaningless figure.
      if (status !== 200) throw new Error(`the user's login was answered ${status}`);
      return performance.now() - started;
    };
    const unloaded: number[] = [];
    for (let i = 0; i < LOGINS; i++) unloaded.push(await login());

    let userDone = false;
    let sent = 0;
    const statuses: Record<string, number> = {};
    const stopAt = performance.now() + MAX_FLOOD_MS;
    const withinBounds = () => sent < MAX_FLOOD_REQUESTS && performance.now() < stopAt;
    const flood = Promise.all(
      Array.from({ length: FLOOD_CONNECTIONS }, async () => {
        while (!userDone && withinBounds()) {
          const body = JSON.stringify({ email: `guess-${sent++}@example.com`, password: 'x' });
          const { status } = await postFrom(`${api.url}/auth/login`, body, attacker);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
    await sleep(1_000);
    const during: number[] = [];
    for (let i = 0; i < LOGINS; i++) during.push(await login());
    if (!withinBounds()) throw new Error("the flood ended before the user's logins did");
    userDone = true;
    await flood;
    return {
      userLogins: LOGINS,
      unloadedMedianMs: round(median(unloaded), 1),
      duringFloodMedianMs: round(median(during), 1),
      floodRequests: sent,
      floodStatuses: statuses,
    };
  } finally {
    user.destroy();
    attacker.destroy();
    await api.stop();
  }
}
