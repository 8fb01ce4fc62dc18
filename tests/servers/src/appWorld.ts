import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startTestRedis } from '@tokenlane/test-harness';
import { startOidcProvider, type OidcServer } from './oidcProvider.js';
import { startRoundRobin, type RoundRobin } from './roundRobin.js';

/** A server-rendered example app and how to serve its build. */
export interface ExampleApp {
  /** The example's folder. */
  dir: string;
  /** A file its build writes (checked first: a clear error when it is not built). */
  built: string;
  /** The package name, for the error's `npm run build -w` line. */
  name: string;
  /** The command serving one instance on `port` (run in `dir`). */
  serve(port: number): string[];
}

/** An example built and served by three processes on one Redis behind the test balancer. */
export interface AppWorld {
  /** The app's origin (localhost: a secure context, where Chromium keeps `__Host-` cookies). */
  origin: string;
  provider: OidcServer;
  balancer: RoundRobin;
  close(): Promise<void>;
}

const CLIENT = {
  id: 'tokenlane-example',
  secret: 'a-long-client-secret-for-the-example-0123456789',
};

/**
 * Starts Redis, oidc-provider (rotating refresh tokens with no reuse grace, access tokens living
 * `ttlSeconds`) and three instances of `app`, whose BFFs refresh 1 s before expiry.
 */
export async function startAppWorld(app: ExampleApp, ttlSeconds: number): Promise<AppWorld> {
  if (!existsSync(join(app.dir, app.built))) {
    throw new Error(
      `The example is not built: run \`npm run build -w ${app.name}\` (npm test does it).`,
    );
  }
  const redis = await startTestRedis();
  const balancer = await startRoundRobin([], { preserveHost: true });
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
  let printed = '';
  const close = async () => {
    await balancer.close();
    for (const child of children) child.kill('SIGTERM');
    await provider.close();
    await redis.close();
  };
  try {
    const urls = await Promise.all(
      [0, 1, 2].map(async () => {
        const port = await freePort();
        const [command, ...args] = app.serve(port);
        const child = spawn(command!, args, {
          cwd: app.dir,
          env: {
            ...process.env,
            NODE_ENV: 'production',
            HOST: '127.0.0.1',
            HOSTNAME: '127.0.0.1',
            PORT: String(port),
            APP_ORIGIN: origin,
            OIDC_ISSUER: provider.issuer,
            OIDC_CLIENT_ID: CLIENT.id,
            OIDC_CLIENT_SECRET: CLIENT.secret,
            REDIS_URL: redis.url,
            TOKENLANE_BFF_KEYS: keys,
            REFRESH_LEEWAY_SECONDS: '1',
            NEXT_TELEMETRY_DISABLED: '1',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
        const url = `http://127.0.0.1:${port}`;
        await waitFor(url, child, () => printed);
        return url;
      }),
    );
    balancer.setUpstreams(urls);
  } catch (error) {
    await close();
    throw error;
  }
  return { origin, provider, balancer, close };
}

/** Until the instance answers at all (a redirect to sign in counts). */
async function waitFor(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The example exited: ${output()}`);
    const up = await fetch(url, { redirect: 'manual' }).then(
      (answer) => answer.status < 500,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error(`The example did not start: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
