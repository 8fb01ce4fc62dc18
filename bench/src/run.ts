// npm run bench: every benchmark in one run, one machine; prints one report and writes
// bench/results/latest.json and latest.md. Benchmarks, not tests: nothing here asserts a time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startApiChild } from './apiChild.js';
import { bffBenchmark } from './bff.js';
import { burstBenchmark, growthBenchmark } from './burst.js';
import { costBenchmark } from './costs.js';
import { floodBenchmark } from './flood.js';
import { overheadBenchmark } from './overhead.js';
import { reconnectBenchmark } from './reconnects.js';
import { sizeBenchmark } from './size.js';
import { steadyBenchmark } from './steady.js';
import { throughputBenchmark } from './throughput.js';

const TTL_S = 2;
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (name: string) => !only || only.includes(name);

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  if (!wanted(name)) return undefined;
  const started = performance.now();
  process.stdout.write(`${name}…`);
  const result = await fn();
  process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

const api = await startApiChild(TTL_S);
let results;
try {
  results = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      date: new Date().toISOString(),
      accessTokenTtlSeconds: TTL_S,
    },
    burst: await timed('burst', () => burstBenchmark(api)),
    steady: await timed('steady', () => steadyBenchmark(api)),
    overhead: await timed('overhead', () => overheadBenchmark(api)),
    api: await timed('api', () => throughputBenchmark(api)),
    costs: await timed('costs', () => costBenchmark()),
    flood: await timed('flood', () => floodBenchmark()),
    size: await timed('size', () => sizeBenchmark()),
    growth: await timed('growth', () => growthBenchmark(api)),
    bff: await timed('bff', () => bffBenchmark(api)),
    reconnects: await timed('reconnects', () => reconnectBenchmark(api)),
  };
} finally {
  await api.close();
}

const table = (head: string[], rows: Array<Array<string | number>>) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

const sections: string[] = [
  `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GiB, Node ${results.machine.node}; access tokens live ${TTL_S} s.`,
];
if (results.burst) {
  sections.push(
    '### Refresh burst (requests sent with an expired token)',
    table(
      ['client', 'N', 'refresh calls', 'succeeded', 'wall ms'],
      results.burst.map((r) => [
        r.client,
        r.n,
        r.refreshCalls,
        `${r.succeeded}/${r.n} (${Math.round((100 * r.succeeded) / r.n)} %)`,
        r.wallMs,
      ]),
    ),
  );
}
if (results.steady) {
  sections.push(
    '### Steady state (a request every 100 ms)',
    table(
      ['client', 'lifetimes', 'requests', '401s per lifetime', 'errors seen by the app'],
      results.steady.map((r) => [
        r.client,
        r.lifetimes,
        r.requests,
        r.failedRoundTrips,
        r.clientErrors,
      ]),
    ),
  );
}
if (results.overhead) {
  const rows = (['axios', 'fetch'] as const).map((transport) => {
    const o = results.overhead![transport];
    return [
      transport,
      o.bareRps,
      o.tokenlaneRps,
      o.ratio,
      `${o.clientCpuUsPerRequest.bare} / ${o.clientCpuUsPerRequest.tokenlane} (+${o.clientCpuUsPerRequest.extra})`,
      `×${o.clientCpuUsPerRequest.ratio}`,
    ];
  });
  sections.push(
    '### Client overhead (loopback, alternating rounds, against the bare client with the same Bearer)',
    table(
      [
        'transport',
        'bare req/s',
        'Tokenlane req/s',
        'time ratio (target ≤ 1.05)',
        'client CPU per request, bare / Tokenlane (µs, no network, median of 40 blocks)',
        'CPU ratio (target ≤ 1.10)',
      ],
      rows,
    ),
  );
}
if (results.api) {
  const a = results.api;
  sections.push(
    '### API throughput (autocannon, loopback)',
    table(
      [
        'GET /api/todos authed req/s',
        'same without auth req/s',
        'ratio (target ≥ 0.85)',
        'POST /auth/refresh rotations/s (SQLite, 200s that rotated)',
      ],
      [[a.authedRps, a.openRps, a.authedVsOpenRatio, a.refreshPerSecond]],
    ),
  );
  sections.push(
    '### Stores (autocannon, loopback, same run): Postgres next to SQLite',
    table(
      ['store', 'GET /api/todos authed req/s', 'POST /auth/refresh rotations/s'],
      [
        ['SQLite (file, WAL)', a.stores.sqlite.getRps, a.stores.sqlite.rotationsPerSecond],
        [
          'Postgres 15 (local cluster)',
          a.stores.postgres.getRps,
          a.stores.postgres.rotationsPerSecond,
        ],
        ['ratio Postgres / SQLite', a.stores.getRatio, a.stores.rotationsRatio],
      ],
    ),
  );
}
if (results.costs) {
  const c = results.costs;
  const cell = (o: { cpuUs: number; postgres: number; redis: number; sqlite: number }) =>
    `${o.cpuUs} µs · ${[
      o.postgres ? `${o.postgres} PG` : '',
      o.redis ? `${o.redis} Redis` : '',
      o.sqlite ? `${o.sqlite} SQLite` : '',
    ]
      .filter(Boolean)
      .join(' + ')}`;
  sections.push(
    `### Cost per operation (API CPU per operation; store calls per operation, counted in the API process: PG = Postgres statements, one round trip each; Redis = commands, one round trip each; SQLite = statements, in process; login without scrypt: less the CPU spent while its hash was computed)`,
    table(
      ['store', 'login', 'login without scrypt', 'refresh', 'GET /api/todos', 'POST /api/todos'],
      c.perStore.map((s) => [
        s.store,
        cell(s.login),
        cell(s.loginWithoutScrypt),
        cell(s.refresh),
        cell(s.get),
        cell(s.write),
      ]),
    ),
    table(
      [
        'three instances, Postgres + Redis, behind the test balancer',
        'GET /api/todos req/s (32 connections)',
        'API CPU per GET (three summed)',
        'cores busy: the three APIs',
        'cores busy: balancer + autocannon',
        'PG statements per GET',
      ],
      [
        [
          '',
          c.threeInstances.getRps,
          `${c.threeInstances.instancesCpuUsPerGet} µs`,
          c.threeInstances.instancesCores,
          c.threeInstances.balancerAndLoadCores,
          c.threeInstances.postgresStatementsPerGet,
        ],
      ],
    ),
  );
}
if (results.flood) {
  const f = results.flood;
  sections.push(
    "### A real user's login during a login flood (40 connections of made-up emails from one IP; the user on another; the API as shipped, its own process)",
    table(
      [
        'user logins (each)',
        'median ms, no flood',
        'median ms, during the flood',
        'flood requests',
        'flood answers by status',
      ],
      [
        [
          f.userLogins,
          f.unloadedMedianMs,
          f.duringFloodMedianMs,
          f.floodRequests,
          Object.entries(f.floodStatuses)
            .map(([status, count]) => `${status}: ${count}`)
            .join(', '),
        ],
      ],
    ),
  );
}
if (results.size) {
  sections.push(
    "### Bundle size (what the README's app ships, then every export; esbuild --minify, gzip -9; react, axios, TanStack Query external)",
    table(
      ['package', 'min bytes', 'gzip bytes', 'target (gzip)', 'missed by'],
      results.size.map((s) => [
        s.name,
        s.minBytes,
        s.gzipBytes,
        s.targetBytes ?? '',
        s.targetBytes === undefined ? '' : Math.max(0, s.gzipBytes - s.targetBytes),
      ]),
    ),
  );
}
if (results.growth) {
  sections.push(
    '### Cost growth (Tokenlane, burst with an expired token)',
    table(
      ['N', 'refresh calls', 'succeeded', 'wall ms', 'µs per request', 'peak RSS MB'],
      results.growth.map((g) => [
        g.n,
        g.refreshCalls,
        g.succeeded,
        g.wallMs,
        g.usPerRequest,
        g.peakRssMb,
      ]),
    ),
  );
}
if (results.bff) {
  const b = results.bff;
  sections.push(
    `### BFF proxy (GET /api/todos, ${b.connections} connections, autocannon; the BFF its own process, SQLite store, hour-long tokens: no refresh measured)`,
    table(
      ['path', 'req/s', 'p50 ms', 'p99 ms', 'BFF CPU per call'],
      [
        ['straight to the API (Bearer)', b.direct.rps, b.direct.p50, b.direct.p99, ''],
        [
          'through the BFF (cookie)',
          b.viaBff.rps,
          b.viaBff.p50,
          b.viaBff.p99,
          `${b.bffCpuUsPerCall} µs`,
        ],
        ['added by the BFF', '', b.addedMs.p50, b.addedMs.p99, ''],
      ],
    ),
    table(
      ['BFF instances behind the test balancer (one SQLite file)', 'req/s'],
      [
        ['one', b.throughput.one],
        ['three', b.throughput.three],
      ],
    ),
  );
}
if (results.reconnects) {
  const r = results.reconnects;
  sections.push(
    `### Live reconnects (${r.clients} clients, one session and one WebSocket each, cut off at once with their tokens expired)`,
    table(
      [
        'first back',
        'median',
        'last back',
        'most in one second',
        'refused after the cut',
        'refreshes',
        'not back',
      ],
      [
        [
          `${r.firstS} s`,
          `${r.medianS} s`,
          `${r.lastS} s`,
          r.peakPerSecond,
          r.refusedAfterCut,
          r.refreshes,
          r.notBack,
        ],
      ],
    ),
  );
}
const report = sections.join('\n\n');
console.log(`\n${report}\n`);

if (!only) {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${dir}latest.md`, `${report}\n\nReproduce: \`npm install && npm run bench\`.\n`);
}
