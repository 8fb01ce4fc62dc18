import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.js';

/** Debian's redis-server, or `REDIS_SERVER`. */
const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** A running test Redis; see `startTestRedis`. */
export interface TestRedis {
  url: string;
  /** Stops the server (SIGTERM); with `persistent`, its data survives into `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A private redis-server on a free loopback port, in a temporary folder. `persistent` turns on
 * the append-only file (fsync always) so a stop and start keeps every family. Fails with an
 * install instruction when redis-server is missing.
 */
export async function startTestRedis({ persistent = false } = {}): Promise<TestRedis> {
  if (spawnSync(REDIS_SERVER, ['--version']).error) {
    throw new Error(
      'The Redis tests need redis-server: apt-get update && apt-get install -y redis-server (or set REDIS_SERVER).',
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--daemonize',
    'no',
  ];
  if (persistent) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start: ${output}`)),
        10_000,
      );
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.once('exit', (code) =>
        reject(new Error(`redis-server exited with ${code}: ${output}`)),
      );
    });
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
