import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './freePort.js';

/** Debian's Postgres 15 binaries, or `POSTGRES_BIN`. */
const binaries = () => process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

const INSTALL =
  'The Postgres tests need PostgreSQL 15: apt-get update && apt-get install -y postgresql (or set POSTGRES_BIN, or TEST_DATABASE_URL).';

/** A Postgres server for tests; see `startTestPostgres`. */
export interface TestPostgres {
  /** `postgres://` URL of its `postgres` database. */
  url: string;
  /** A new, empty database on this server; resolves with its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown); `start()` brings it back with its data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

let databases = 0;

/**
 * A throwaway Postgres cluster: `initdb` into a temporary folder, `pg_ctl` on a free loopback
 * port, removed by `close()`. As root it runs as the `postgres` user (`initdb` refuses root).
 * With `TEST_DATABASE_URL` set, that server is used instead (and never stopped). Fails with the
 * install line when the binaries are missing.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external)
    return around(
      external,
      async () => {},
      async () => {},
      async () => {},
    );
  const bin = binaries();
  if (!existsSync(join(bin, 'initdb'))) throw new Error(INSTALL);
  let port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-pg-'));
  const data = join(dir, 'data');
  if (asRoot) chownSync(dir, uid('postgres'), gid('postgres'));
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    return new Promise<void>((resolve, reject) => {
      const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${output}`)),
      );
    });
  };
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = () =>
    [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-k ${dir}`,
      '-c fsync=off',
      '-c max_connections=200',
    ].join(' ');
  const log = join(dir, 'log');
  /** Starts it; a failure says what the server logged (its last lines). */
  const start = () =>
    run('pg_ctl', ['-D', data, '-o', options(), '-l', log, '-w', '-t', '60', 'start']).catch(
      (error: Error) => {
        const logged = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-8) : [];
        throw new Error(`${error.message}\n${logged.join('\n')}`, { cause: error });
      },
    );
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  // The free port may be taken before Postgres binds it (another suite starting beside this one):
  // then another port, twice at most.
  for (let attempt = 1; ; attempt++) {
    try {
      await start();
      break;
    } catch (error) {
      if (attempt === 3 || !/could not bind|already in use/i.test(String(error))) throw error;
      port = await freePort();
    }
  }
  return around(`postgres://postgres@127.0.0.1:${port}/postgres`, stop, start, async () => {
    await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
}

function around(
  url: string,
  stop: () => Promise<void>,
  start: () => Promise<void>,
  close: () => Promise<void>,
): TestPostgres {
  return {
    url,
    async createDatabase() {
      const name = `tokenlane_${process.pid}_${Date.now()}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const next = new URL(url);
      next.pathname = `/${name}`;
      return next.href;
    },
    stop,
    start,
    close,
  };
}

const id = (flag: '-u' | '-g', name: string) => {
  const result = spawnSync('id', [flag, name], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`No "${name}" user to run Postgres as. ${INSTALL}`);
  return Number(result.stdout.trim());
};
const uid = (name: string) => id('-u', name);
const gid = (name: string) => id('-g', name);
