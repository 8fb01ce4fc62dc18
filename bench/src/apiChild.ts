import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Counts } from '@tokenlane/test-harness';
import type { Command } from './apiProcess.js';

/** The API process, seen from the benchmark process. */
export interface ApiChild {
  /** The API with short access tokens on a real clock (steady state). */
  short: string;
  /** The API whose clock `advance()` moves (bursts). */
  burst: string;
  burstTtl: number;
  /** The API with hour-long access tokens (throughput). */
  long: string;
  /** The same, on Postgres instead of SQLite. */
  longPostgres: string;
  /** A loopback server that answers 200 to everything (interceptor overhead). */
  echo: string;
  ttl: number;
  /** Moves the burst API's clock forward. */
  advance(ms: number): Promise<void>;
  reset(): Promise<void>;
  counts(): Promise<{ short: Counts; burst: Counts; long: Counts }>;
  /** Serves the app as shipped and the same app without Bearer verification (acting as `userId`). */
  open(userId: string): Promise<{ authed: string; open: string }>;
  close(): Promise<void>;
}

export async function startApiChild(ttl: number): Promise<ApiChild> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./apiProcess.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ACCESS_TOKEN_TTL: String(ttl) },
  });
  const ask = async <T>(command: Command): Promise<T> => {
    const reply = once(child, 'message') as Promise<[T]>;
    child.send(command);
    return (await reply)[0];
  };
  const [ready] = (await once(child, 'message')) as [
    Omit<ApiChild, 'advance' | 'reset' | 'counts' | 'open' | 'close'>,
  ];
  return {
    ...ready,
    advance: (ms) => ask({ type: 'advance', ms }),
    reset: () => ask({ type: 'reset' }),
    counts: () => ask({ type: 'counts' }),
    open: (userId) => ask({ type: 'open', userId }),
    close: async () => {
      await ask({ type: 'close' }).catch(() => undefined);
      child.kill();
    },
  };
}
