import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@tokenlane/test-harness';

// Django REST framework simplejwt from Debian, started on a free loopback port: rotation and
// blacklisting on, short access tokens, a protected GET /api/todos/ (see tests/integration/simplejwt).

/** Debian's Python, which sees Debian's Django packages (the first python3 on PATH may not). */
const PYTHON = process.env.SIMPLEJWT_PYTHON ?? '/usr/bin/python3';
const SERVE = fileURLToPath(new URL('../../simplejwt/serve.py', import.meta.url));
export const SIMPLEJWT_USER = { username: 'ada', password: 'lovelace-1815' };

/** What the server saw. */
export interface SimplejwtCounts {
  /** POST /api/token/refresh/ calls. */
  refresh: number;
  /** Refresh calls refused because the token was rotated (blacklisted) already: reuse. */
  reused: number;
  /** 401 answers on /api/todos/. */
  unauthorized: number;
  /** Distinct access tokens among those 401 answers. */
  refusedTokens: number;
  api: number;
}

export interface SimplejwtServer {
  url: string;
  counts(): Promise<SimplejwtCounts>;
  reset(): Promise<void>;
  /** Blacklists every refresh token it issued: the session is revoked. */
  revoke(): Promise<void>;
  close(): Promise<void>;
}

export async function startSimplejwt({ accessTokenTtlSeconds = 3 } = {}): Promise<SimplejwtServer> {
  if (spawnSync(PYTHON, ['-c', 'import rest_framework_simplejwt']).status !== 0) {
    throw new Error(
      "The simplejwt tests need Debian's Django REST framework simplejwt: apt-get update && apt-get install -y python3-djangorestframework-simplejwt",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-simplejwt-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(PYTHON, [SERVE, String(port)], {
    env: {
      ...process.env,
      SIMPLEJWT_DB: join(dir, 'db.sqlite3'),
      SIMPLEJWT_ACCESS_TTL: String(accessTokenTtlSeconds),
      PYTHONDONTWRITEBYTECODE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`simplejwt server exited: ${output}`);
    const ready = await fetch(`${url}/test/counts`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`simplejwt server did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const post = async (path: string) => {
    const answer = await fetch(`${url}${path}`, { method: 'POST' });
    if (!answer.ok) throw new Error(`${path}: HTTP ${answer.status}`);
  };
  return {
    url,
    counts: async () => (await (await fetch(`${url}/test/counts`)).json()) as SimplejwtCounts,
    reset: () => post('/test/reset'),
    revoke: () => post('/test/revoke'),
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
