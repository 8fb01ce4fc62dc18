import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import {
  DEMO,
  postAuth,
  refreshCookieFrom,
  startApiProcess,
  startTestPostgres,
  startTestRedis,
  type RunningApi,
} from '@tokenlane/test-harness';
import { startRoundRobin } from '@tokenlane/test-servers/roundRobin';
import { round } from './util.js';

const PRELOAD = fileURLToPath(new URL('./countStoreCalls.mjs', import.meta.url));
const API_DIR = fileURLToPath(new URL('../../apps/api', import.meta.url));
const JSON_HEADERS = { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' };

/** What the API process did so far: store calls, and its CPU time. */
interface Snapshot {
  postgres: number;
  redis: number;
  sqlite: number;
  cpuUs: number;
  /** CPU spent while password hashes were computed. */
  scryptUs: number;
}

/** An API process with the counting preload; `snapshot()` asks it for its counts. */
async function countedApi(env: Record<string, string>, dir: string, name: string) {
  const file = `${dir}/${name}.json`;
  const api = await startApiProcess({
    JWT_SECRET: 'cost-benchmark-secret-cost-benchmark-01',
    ACCESS_TOKEN_TTL: '3600',
    LOGIN_RATE_LIMIT: '1000000',
    LOGIN_IP_RATE_LIMIT: '1000000',
    LOGIN_ACCOUNT_RATE_LIMIT: '1000000',
    TODO_QUOTA: '1000000',
    NODE_OPTIONS: `--import ${PRELOAD}`,
    COUNT_FROM: API_DIR,
    COUNTS_FILE: file,
    ...env,
  });
  const snapshot = async (): Promise<Snapshot> => {
    rmSync(file, { force: true });
    api.child.kill('SIGUSR2');
    for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
    return JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  };
  return { api, snapshot };
}

/** Per operation: the API's CPU (µs) and its store calls, over `n` operations one after another. */
async function perOperation(
  snapshot: () => Promise<Snapshot>,
  n: number,
  operation: (i: number) => Promise<void>,
) {
  await operation(-1); // warm-up
  const before = await snapshot();
  for (let i = 0; i < n; i++) await operation(i);
  const after = await snapshot();
  const per = (key: keyof Snapshot) => round((after[key] - before[key]) / n, 2);
  return {
    cpuUs: Math.round(per('cpuUs')),
    scryptUs: Math.round(per('scryptUs')),
    postgres: per('postgres'),
    redis: per('redis'),
    sqlite: per('sqlite'),
  };
}

/** Fails the run on an answer that is not the one expected: a cost counts only successful work. */
function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status}, expected ${status}`);
}

/**
 * Waits until the API process is idle (under 30 ms of CPU in 300 ms): at start it computes a dummy
 * password hash in the background, which would land in the first logins' numbers.
 */
async function idle(snapshot: () => Promise<Snapshot>) {
  for (let i = 0; i < 30; i++) {
    const before = await snapshot();
    await new Promise((resolve) => setTimeout(resolve, 300));
    if ((await snapshot()).cpuUs - before.cpuUs < 30_000) return;
  }
  throw new Error('the API process never went idle');
}

/** Login, refresh, authed GET and todo write, each measured on one API process. */
async function operations(url: string, snapshot: () => Promise<Snapshot>) {
  await idle(snapshot);
  const login = async () => {
    const res = await postAuth(`${url}/auth/login`, undefined, DEMO);
    expectStatus(res, 200, 'login');
    return { res, body: (await res.json()) as { accessToken: string } };
  };
  const loginCost = await perOperation(snapshot, 6, async () => void (await login()));
  const first = await login();
  let cookie = refreshCookieFrom(first.res)!;
  const refresh = await perOperation(snapshot, 300, async () => {
    const res = await postAuth(`${url}/auth/refresh`, cookie);
    expectStatus(res, 200, 'refresh');
    cookie = refreshCookieFrom(res) ?? cookie;
    await res.arrayBuffer();
  });
  const bearer = { Authorization: `Bearer ${first.body.accessToken}` };
  const get = await perOperation(snapshot, 1000, async () => {
    const res = await fetch(`${url}/api/todos`, { headers: bearer });
    expectStatus(res, 200, 'GET /api/todos');
    await res.arrayBuffer();
  });
  const write = await perOperation(snapshot, 300, async (i) => {
    const res = await fetch(`${url}/api/todos`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...bearer },
      body: JSON.stringify({ title: `todo ${i}` }),
    });
    expectStatus(res, 201, 'POST /api/todos');
    await res.arrayBuffer();
  });
  return {
    login: loginCost,
    loginWithoutScrypt: { ...loginCost, cpuUs: loginCost.cpuUs - loginCost.scryptUs },
    refresh,
    get,
    write,
  };
}

/**
 * Cost per operation on each store (SQLite, Postgres, Postgres + Redis): the API's CPU and its
 * store calls, counted in the API process. Then three instances on Postgres + Redis behind the test
 * balancer: authed GETs per second, and where the 2 cores went.
 */
export async function costBenchmark() {
  const dir = mkdtempSync(`${tmpdir()}/tokenlane-costs-`);
  const postgres = await startTestPostgres();
  const redis = await startTestRedis();
  const started: RunningApi[] = [];
  try {
    const stores: Array<[string, Record<string, string>]> = [
      ['SQLite', { DATABASE_PATH: `${dir}/tokenlane.db` }],
      ['Postgres', { DATABASE_URL: await postgres.createDatabase() }],
      ['Postgres + Redis', { DATABASE_URL: await postgres.createDatabase(), REDIS_URL: redis.url }],
    ];
    const perStore = [];
    for (const [name, env] of stores) {
      const { api, snapshot } = await countedApi(env, dir, name.replace(/\W+/g, '-'));
      started.push(api);
      perStore.push({ store: name, ...(await operations(api.url, snapshot)) });
      await api.stop();
    }
    const scaled = await threeInstances(dir, {
      DATABASE_URL: await postgres.createDatabase(),
      REDIS_URL: redis.url,
    });
    return { perStore, threeInstances: scaled };
  } finally {
    await Promise.all(started.map((api) => api.stop()));
    await redis.close();
    await postgres.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Three API processes behind the test balancer, autocannon on authed GETs for 4 s. */
async function threeInstances(dir: string, env: Record<string, string>) {
  const apis = await Promise.all([0, 1, 2].map((i) => countedApi(env, dir, `instance-${i}`)));
  const proxy = await startRoundRobin(apis.map(({ api }) => api.url));
  try {
    const res = await postAuth(`${proxy.url}/auth/login`, undefined, DEMO);
    expectStatus(res, 200, 'login');
    const { accessToken } = (await res.json()) as { accessToken: string };
    const before = await Promise.all(apis.map(({ snapshot }) => snapshot()));
    const benchBefore = process.cpuUsage();
    const started = performance.now();
    const result = await autocannon({
      url: `${proxy.url}/api/todos`,
      headers: { authorization: `Bearer ${accessToken}` },
      connections: 32,
      duration: 4,
    });
    const seconds = (performance.now() - started) / 1000;
    const bench = process.cpuUsage(benchBefore);
    const after = await Promise.all(apis.map(({ snapshot }) => snapshot()));
    if (result.non2xx > 0 || result.errors > 0) {
      const statuses = JSON.stringify(Object.fromEntries(proxy.counts.byStatus));
      throw new Error(
        `three instances: ${result.non2xx} non-2xx answers (by status: ${statuses}), ${result.errors} errors, ${result.timeouts} timeouts`,
      );
    }
    const instancesCpu = after.reduce((sum, s, i) => sum + s.cpuUs - before[i]!.cpuUs, 0);
    const ok = result.requests.total;
    return {
      getRps: Math.round(ok / seconds),
      instancesCpuUsPerGet: Math.round(instancesCpu / ok),
      // Cores busy, on average: the three API processes, and the balancer with autocannon.
      instancesCores: round(instancesCpu / 1e6 / seconds, 2),
      balancerAndLoadCores: round((bench.user + bench.system) / 1e6 / seconds, 2),
      postgresStatementsPerGet: round(
        after.reduce((sum, s, i) => sum + s.postgres - before[i]!.postgres, 0) / ok,
        2,
      ),
    };
  } finally {
    await proxy.close();
    await Promise.all(apis.map(({ api }) => api.stop()));
  }
}
