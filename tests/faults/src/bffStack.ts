import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startApiProcess, startTestRedis, type RunningApi } from '@tokenlane/test-harness';
import { startOidcProvider, type OidcServer } from '@tokenlane/test-servers/oidc';
import { startRoundRobin, type RoundRobin } from '@tokenlane/test-servers/roundRobin';
import { rssOf, type Stack } from './stack.js';

// BFF processes (apps/bff, built) on one Redis behind the balancer, in front of the API (its own
// process, 3-second tokens) through a second balancer that can lose its refresh answers: the
// fault stack of BFF mode. It has the API stack's shape, so the scenarios and the table are one.

const BFF_DIST = join(
  dirname(createRequire(import.meta.url).resolve('@tokenlane/bff-server/package.json')),
  'dist/index.js',
);

/** A BFF process, with the handle of an API process (the scenarios only stop, kill and read it). */
async function startBffProcess(env: Record<string, string>): Promise<RunningApi> {
  const child: ChildProcess = spawn(process.execPath, [BFF_DIST], {
    env: { ...process.env, PORT: '0', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`BFF exited with ${code}: ${output}`)));
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const end = async (signal: NodeJS.Signals) => {
    if (gone()) return child.exitCode;
    const exited = once(child, 'exit');
    child.kill(signal);
    const [code] = (await exited) as [number | null];
    return code;
  };
  return {
    url,
    child,
    output: () => output,
    stop: () => end('SIGTERM'),
    kill: async () => void (await end('SIGKILL')),
  };
}

/** The BFF stack, and the link between the BFFs and the API (where refresh answers get lost). */
export interface BffStack extends Stack {
  link: RoundRobin;
  api: RunningApi;
  /** With the `oidc` upstream: the provider. */
  provider?: OidcServer;
}

export const BFF_CLIENT = {
  id: 'tokenlane-bff-faults',
  secret: 'fault-harness-bff-client-secret-0123456789',
};

/**
 * `api`: the BFFs sign in and refresh at the API (which recovers lost answers). `oidc`: at
 * oidc-provider (rotation, no reuse grace), proxying to its userinfo endpoint; the API still runs
 * but is not used.
 */
export async function startBffStack(upstream: 'api' | 'oidc' = 'api'): Promise<BffStack> {
  const redis = await startTestRedis({ persistent: true });
  const api = await startApiProcess(
    {
      JWT_SECRET: 'fault-harness-bff-signing-key-0001-0001',
      ACCESS_TOKEN_TTL: '3',
      LOGIN_RATE_LIMIT: '1000',
      LOGIN_IP_RATE_LIMIT: '1000',
      LOGIN_ACCOUNT_RATE_LIMIT: '1000',
      HASH_PER_CLIENT: '10',
      DATABASE_PATH: ':memory:',
    },
    { built: true },
  );
  const link = await startRoundRobin([api.url]);
  const balancer = await startRoundRobin([]);
  const provider =
    upstream === 'oidc'
      ? await startOidcProvider({
          accessTokenTtlSeconds: 3,
          clients: [
            {
              client_id: BFF_CLIENT.id,
              client_secret: BFF_CLIENT.secret,
              redirect_uris: [`${balancer.url}/bff/callback`],
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code'],
            },
          ],
        })
      : undefined;
  const env: Record<string, string> = {
    ...(provider && {
      UPSTREAM: 'oidc',
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: BFF_CLIENT.id,
      OIDC_CLIENT_SECRET: BFF_CLIENT.secret,
      PROXY_TARGET: `${provider.issuer}/me`,
    }),
    API_URL: link.url,
    BFF_ORIGIN: balancer.url,
    STORE: 'redis',
    REDIS_URL: redis.url,
    TOKENLANE_BFF_KEYS: randomBytes(32).toString('base64url'),
    REFRESH_LEEWAY_SECONDS: '1',
    UPSTREAM_TIMEOUT_SECONDS: '5',
    LOGIN_RATE_LIMIT: '1000',
    PROXY_RATE_LIMIT: '1000000',
  };
  const everyInstance: RunningApi[] = [];
  const ended = new Set<RunningApi>();
  const crashes: string[] = [];
  const start = async () => {
    const instance = await startBffProcess(env);
    everyInstance.push(instance);
    instance.child.once('exit', (code, signal) => {
      if (!ended.has(instance))
        crashes.push(`BFF exited (${code ?? signal}): ${instance.output().slice(-2_000)}`);
    });
    return instance;
  };
  const end = (instance: RunningApi, how: 'stop' | 'kill') => {
    ended.add(instance);
    return how === 'stop' ? instance.stop().then(() => undefined) : instance.kill();
  };
  const running = await Promise.all([start(), start(), start()]);
  const serving = () => balancer.setUpstreams(running.map((instance) => instance.url));
  serving();
  return {
    name: provider ? 'BFF ×3 on Redis, oidc-provider upstream' : 'BFF ×3 on Redis, API upstream',
    balancer,
    link,
    api,
    provider,
    instances: running,
    redis,
    async restart(index) {
      const old = running[index]!;
      balancer.setUpstreams(running.filter((instance) => instance !== old).map((i) => i.url));
      await end(old, 'stop');
      running[index] = await start();
      serving();
    },
    kill: (index) => end(running[index]!, 'kill'),
    async replace(index) {
      running[index] = await start();
      serving();
    },
    // Reuse is detected by the upstream: logged by the API, refused grants at oidc-provider.
    reuseDetections: () =>
      provider ? provider.counts.refused : api.output().split('refresh token reuse').length - 1,
    rssMiB: () => running.map((instance) => rssOf(instance.child.pid)),
    crashes: () => [...crashes],
    async close() {
      await balancer.close();
      await link.close();
      await Promise.all(everyInstance.map((instance) => end(instance, 'kill')));
      await api.kill();
      await provider?.close();
      await redis.close();
    },
  };
}
