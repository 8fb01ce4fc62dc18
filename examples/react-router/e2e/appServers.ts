import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startTestRedis, type TestRedis } from '@tokenlane/test-harness';
import { startOidcProvider, type OidcServer } from '@tokenlane/test-servers/oidc';
import { startRoundRobin, type RoundRobin } from '@tokenlane/test-servers/roundRobin';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const SERVE = join(
  dirname(createRequire(import.meta.url).resolve('@react-router/serve/package.json')),
  'bin.js',
);
const CLIENT = {
  id: 'tokenlane-example',
  secret: 'a-long-client-secret-for-the-example-0123456789',
};

/** The example built and served by three processes on one Redis behind the test balancer. */
export interface AppWorld {
  /** The app's origin (localhost: a secure context, where Chromium keeps `__Host-` cookies). */
  origin: string;
  provider: OidcServer;
  balancer: RoundRobin;
  close(): Promise<void>;
}

/** Starts Redis, oidc-provider (access tokens living `ttlSeconds`) and three app instances. */
export async function startAppWorld(ttlSeconds: number): Promise<AppWorld> {
  if (!existsSync(join(APP_DIR, 'build/server/index.js'))) {
    throw new Error(
      'The example is not built: run `npm run build -w @tokenlane/example-react-router` (npm test does it).',
    );
  }
  const redis: TestRedis = await startTestRedis();
  const balancer = await startRoundRobin([]);
  const origin = balancer.url.replace('127.0.0.1', 'localhost');
  const provider = await startOidcProvider({
    accessTokenTtlSeconds: ttlSeconds,
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [`${origin}/bff/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
  });
  const keys = randomBytes(32).toString('base64url');
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVE, './build/server/index.js'], {
      cwd: APP_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        APP_ORIGIN: origin,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: CLIENT.id,
        OIDC_CLIENT_SECRET: CLIENT.secret,
        REDIS_URL: redis.url,
        TOKENLANE_BFF_KEYS: keys,
        REFRESH_LEEWAY_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(url, child, () => output);
    urls.push(url);
  }
  balancer.setUpstreams(urls);
  return {
    origin,
    provider,
    balancer,
    async close() {
      await balancer.close();
      for (const child of children) child.kill('SIGTERM');
      await provider.close();
      await redis.close();
    },
  };
}

async function waitFor(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The example exited: ${output()}`);
    const up = await fetch(url).then(
      (answer) => answer.ok,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error(`The example did not start: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
