import { fork } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEMO, startTestApi, type TestApi } from '@tokenlane/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 32's acceptance: @tokenlane/core in a plain Node process and in a worker, installed
// where React and axios cannot be resolved (a directory outside the repository holding the
// built core and its two dependencies only), against the real API: a login, a burst after the
// access token expired at the server (one refresh), a logout.

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const script = fileURLToPath(new URL('./fixtures/core-anywhere/session.mjs', import.meta.url));

let app: string;
let api: TestApi;
let skewMs = 0;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'tokenlane-core-only-'));
  const core = packageDir('@tokenlane/core');
  const modules = join(app, 'node_modules');
  cpSync(join(core, 'package.json'), join(modules, '@tokenlane/core/package.json'));
  cpSync(join(core, 'dist'), join(modules, '@tokenlane/core/dist'), { recursive: true });
  const coreRequire = createRequire(join(core, 'package.json'));
  for (const dependency of ['jose', 'oauth4webapi']) {
    const dir = dirname(coreRequire.resolve(`${dependency}/package.json`));
    cpSync(dir, join(modules, dependency), { recursive: true });
  }
  cpSync(script, join(app, 'session.mjs'));
  api = await startTestApi({ accessTokenTtlSeconds: 60, now: () => Date.now() + skewMs });
});
afterAll(async () => {
  await api.close();
  rmSync(app, { recursive: true, force: true });
});

/** What the script reports; the test answers its `signed-in` by expiring the token at the server. */
interface Report {
  absent: { react: string; axios: string };
  signedIn: string;
  statuses: number[];
  refreshes: number;
  after: string;
  cookies: number;
}

interface Port {
  on(event: 'message', listener: (message: { step: string } & Partial<Report>) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number | null) => void): void;
}

function drive(port: Port, send: (message: string) => void): Promise<Report> {
  return new Promise((resolve, reject) => {
    port.on('error', reject);
    // A script that cannot load the core (or fails later) exits before it reports.
    port.on('exit', (code) => reject(new Error(`the script exited (${code}) before its report`)));
    port.on('message', (message) => {
      if (message.step === 'signed-in') {
        skewMs += 61_000;
        send('expired');
      } else resolve(message as Report);
    });
  });
}

const credentials = () => ({ apiUrl: api.url, email: DEMO.email, password: DEMO.password });

function expectSession(report: Report) {
  expect(report.absent).toEqual({ react: 'ERR_MODULE_NOT_FOUND', axios: 'ERR_MODULE_NOT_FOUND' });
  expect(report.signedIn).toBe('authenticated');
  expect(report.statuses).toEqual(Array.from({ length: 20 }, () => 200));
  expect(report.refreshes).toBe(1);
  expect(report.after).toBe('unauthenticated');
  expect(report.cookies).toBe(0);
}

describe('@tokenlane/core without React and axios', () => {
  it('runs a session in a plain Node process', async () => {
    api.reset();
    const child = fork(join(app, 'session.mjs'), [JSON.stringify(credentials())], {
      cwd: app,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const report = await drive(child, (message) => child.send(message));
      expectSession(report);
      expect(api.counts.refresh).toBe(1);
    } finally {
      child.kill();
    }
  });

  it('runs a session in a worker', async () => {
    api.reset();
    const worker = new Worker(join(app, 'session.mjs'), { workerData: credentials() });
    try {
      const report = await drive(worker, (message) => worker.postMessage(message));
      expectSession(report);
      expect(api.counts.refresh).toBe(1);
    } finally {
      await worker.terminate();
    }
  });
});
