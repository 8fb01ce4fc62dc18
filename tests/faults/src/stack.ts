import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startApiProcess,
  startTestPostgres,
  startTestRedis,
  type RunningApi,
  type TestPostgres,
  type TestRedis,
} from '@tokenlane/test-harness';
import { startRoundRobin, type RoundRobin } from '@tokenlane/test-servers/roundRobin';
import { startFaultProxy, type FaultProxy } from './faultProxy.js';

/** Where the instances keep their state. */
export type StoreKind = 'postgres+redis' | 'postgres' | 'sqlite';

/** Signing keys of the fault stacks: the first signs, every one verifies. */
export const KEYS = {
  old: 'fault-harness-signing-key-0001-0001-0001',
  next: 'fault-harness-signing-key-0002-0002-0002',
};

export interface StackOptions {
  stores: StoreKind;
  /** @default 3 */
  instances?: number;
  /** Access-token lifetime, seconds. @default 3 */
  accessTokenTtlSeconds?: number;
  /** A clock offset per instance, as Debian's faketime reads it (`+3s`, `-30s`); none by default. */
  clocks?: Array<string | undefined>;
}

/** API instances on real stores, behind a balancer, with fault proxies in front of the stores. */
export interface Stack {
  name: string;
  balancer: RoundRobin;
  /** The instances serving now (a restart replaces an entry). */
  instances: RunningApi[];
  postgres?: TestPostgres | undefined;
  redis?: TestRedis | undefined;
  /** Between the instances and Postgres. */
  postgresProxy?: FaultProxy | undefined;
  /** Between the instances and Redis. */
  redisProxy?: FaultProxy | undefined;
  /**
   * A rolling-deploy step for instance `index`: out of the balancer, stopped (SIGTERM: requests in
   * flight finish), started again with `env` on top of its own, back in.
   */
  restart(index: number, env?: Record<string, string>): Promise<void>;
  /** SIGKILLs instance `index` (a crash, a lost machine); it stays in the balancer. */
  kill(index: number): Promise<void>;
  /** Starts a new instance in place of `index` (after a kill) and puts it in the balancer. */
  replace(index: number): Promise<void>;
  /** What each instance that exited without being stopped or killed by the test logged last. */
  crashes(): string[];
  /** `refresh token reuse` warnings logged by every instance this stack ever ran. */
  reuseDetections(): number;
  /** Resident memory of each running instance, MiB. */
  rssMiB(): number[];
  close(): Promise<void>;
}

export const FAKETIME_INSTALL =
  'The clock-skew fault tests need faketime: apt-get update && apt-get install -y faketime';

/**
 * The environment that makes a process's clock run `offset` from the real one (libfaketime, from
 * Debian's `faketime`, or `FAKETIME_BIN`). Fails with the install line when it is missing.
 */
export function skewedClock(
  offset: string,
  binary = process.env.FAKETIME_BIN ?? 'faketime',
): Record<string, string> {
  const probe = spawnSync(binary, ['-f', '+0s', 'printenv', 'LD_PRELOAD'], {
    encoding: 'utf8',
  });
  const preload = probe.stdout?.trim();
  if (probe.error || probe.status !== 0 || !preload) throw new Error(FAKETIME_INSTALL);
  // Node itself gets the preload (not a faketime wrapper), so the pid is node's.
  return { LD_PRELOAD: preload, FAKETIME: offset };
}

/** Resident memory of a process, MiB (0 once it is gone). */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Starts the stores, their fault proxies, the instances and the balancer. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { stores, instances: count = 3, accessTokenTtlSeconds = 3, clocks = [] } = options;
  const postgres = stores === 'sqlite' ? undefined : await startTestPostgres();
  const redis =
    stores === 'postgres+redis' ? await startTestRedis({ persistent: true }) : undefined;
  const databaseUrl = postgres && (await postgres.createDatabase());
  const postgresProxy =
    databaseUrl === undefined
      ? undefined
      : await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(databaseUrl).port) });
  const redisProxy =
    redis && (await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(redis.url).port) }));
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-faults-'));

  const baseEnv: Record<string, string> = {
    JWT_SECRET: KEYS.old,
    ACCESS_TOKEN_TTL: String(accessTokenTtlSeconds),
    LOG_LEVEL: 'info',
    // Every simulated user signs in from this machine, as the same account.
    LOGIN_RATE_LIMIT: '1000',
    LOGIN_IP_RATE_LIMIT: '1000',
    LOGIN_ACCOUNT_RATE_LIMIT: '1000',
    HASH_PER_CLIENT: '10',
    ...(postgresProxy && databaseUrl ? { DATABASE_URL: postgresProxy.via(databaseUrl) } : {}),
    ...(redisProxy && redis ? { REDIS_URL: redisProxy.via(redis.url) } : {}),
    ...(stores === 'sqlite' ? { DATABASE_PATH: join(dir, 'tokenlane.db') } : {}),
  };
  const envs = Array.from({ length: count }, (_, index) => {
    const clock = clocks[index];
    return { ...baseEnv, ...(clock ? skewedClock(clock) : {}) };
  });
  const everyInstance: RunningApi[] = [];
  const ended = new Set<RunningApi>();
  const crashes: string[] = [];
  const start = async (env: Record<string, string>) => {
    const instance = await startApiProcess(env, { built: true });
    everyInstance.push(instance);
    instance.child.once('exit', (code, signal) => {
      if (!ended.has(instance)) {
        crashes.push(`exited (${code ?? signal}): ${instance.output().slice(-2_000)}`);
      }
    });
    return instance;
  };
  const end = (instance: RunningApi, how: 'stop' | 'kill') => {
    ended.add(instance);
    return how === 'stop' ? instance.stop().then(() => undefined) : instance.kill();
  };
  // The first one alone creates the schema and seeds the users; the others start together.
  const running: RunningApi[] = [await start(envs[0]!)];
  running.push(...(await Promise.all(envs.slice(1).map(start))));
  const balancer = await startRoundRobin(running.map((instance) => instance.url));
  const serving = () => balancer.setUpstreams(running.map((instance) => instance.url));

  return {
    name: stores === 'sqlite' ? 'SQLite' : stores === 'postgres' ? 'Postgres' : 'Postgres + Redis',
    balancer,
    instances: running,
    postgres,
    redis,
    postgresProxy,
    redisProxy,
    async restart(index, env = {}) {
      const old = running[index]!;
      balancer.setUpstreams(running.filter((instance) => instance !== old).map((i) => i.url));
      await end(old, 'stop');
      envs[index] = { ...envs[index]!, ...env };
      running[index] = await start(envs[index]);
      serving();
    },
    kill: (index) => end(running[index]!, 'kill'),
    async replace(index) {
      running[index] = await start(envs[index]!);
      serving();
    },
    reuseDetections: () =>
      everyInstance.reduce(
        (sum, instance) => sum + instance.output().split('refresh token reuse').length - 1,
        0,
      ),
    rssMiB: () => running.map((instance) => rssOf(instance.child.pid)),
    crashes: () => [...crashes],
    async close() {
      await balancer.close();
      await Promise.all(everyInstance.map((instance) => end(instance, 'kill')));
      await postgresProxy?.close();
      await redisProxy?.close();
      await redis?.close();
      await postgres?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
