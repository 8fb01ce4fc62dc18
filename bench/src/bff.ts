import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEMO, freePort } from '@tokenlane/test-harness';
import { startRoundRobin } from '@tokenlane/test-servers/roundRobin';
import type { ApiChild } from './apiChild.js';
import { autocannonRun as run, round } from './util.js';

// The BFF proxy's cost per call: GET /api/todos straight to the API with a Bearer token, against
// the same call through the BFF (apps/bff, its own process: cookie in, token added, answer
// streamed back), on the API with hour-long tokens (no refresh in the measurement). Then the
// BFF's throughput on one and on three instances (one SQLite file shared) behind the test
// balancer. Only 2xx answers count: a run with any other answer fails.

const SECONDS = 4;
const CONNECTIONS = 16;
const BFF_DIST = join(
  dirname(createRequire(import.meta.url).resolve('@tokenlane/bff-server/package.json')),
  'dist/index.js',
);

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

async function startBffProcess(apiUrl: string, databasePath: string, keys: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [BFF_DIST], {
    env: {
      ...process.env,
      PORT: String(port),
      API_URL: apiUrl,
      BFF_ORIGIN: 'http://bench.localhost',
      BFF_DATABASE_PATH: databasePath,
      TOKENLANE_BFF_KEYS: keys,
      PROXY_RATE_LIMIT: '1000000000',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('the BFF did not start');
}

/** One load run; fails on any answer that is not 2xx. */
async function load(url: string, headers: Record<string, string>) {
  const result = await run({ url, headers, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result;
}

export async function bffBenchmark(api: ApiChild) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-bench-bff-'));
  const keys = randomBytes(32).toString('base64url');
  const databasePath = join(dir, 'bff.sqlite');
  const children: ChildProcess[] = [];
  try {
    const login = await fetch(`${api.long}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'bench' },
      body: JSON.stringify(DEMO),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const bffs = [];
    for (let i = 0; i < 3; i++) {
      const started = await startBffProcess(api.long, databasePath, keys);
      children.push(started.child);
      bffs.push(started);
    }
    const first = bffs[0]!;
    const signIn = await fetch(`${first.url}/bff/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-requested-with': 'bench',
        origin: 'http://bench.localhost',
      },
      body: JSON.stringify(DEMO),
    });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const viaBff = { cookie, 'x-requested-with': 'bench' };

    const direct = await load(`${api.long}/api/todos`, { authorization: `Bearer ${accessToken}` });
    const cpuBefore = cpuSeconds(first.child.pid!);
    const proxied = await load(`${first.url}/bff-api/todos`, viaBff);
    const cpuUs = ((cpuSeconds(first.child.pid!) - cpuBefore) * 1e6) / proxied.requests.total;

    const balancer = await startRoundRobin(bffs.map((b) => b.url));
    const three = await load(`${balancer.url}/bff-api/todos`, viaBff);
    const oneBalanced = await (async () => {
      balancer.only(first.url);
      return load(`${balancer.url}/bff-api/todos`, viaBff);
    })();
    await balancer.close();
    return {
      connections: CONNECTIONS,
      direct: {
        rps: round(direct.requests.average),
        p50: direct.latency.p50,
        p99: direct.latency.p99,
      },
      viaBff: {
        rps: round(proxied.requests.average),
        p50: proxied.latency.p50,
        p99: proxied.latency.p99,
      },
      addedMs: {
        p50: round(proxied.latency.p50 - direct.latency.p50),
        p99: round(proxied.latency.p99 - direct.latency.p99),
      },
      bffCpuUsPerCall: round(cpuUs),
      throughput: {
        one: round(oneBalanced.requests.average),
        three: round(three.requests.average),
      },
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
