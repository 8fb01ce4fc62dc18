import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const API_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningApi {
  url: string;
  child: ChildProcess;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `src/index.ts` in its own Node process, as `npm run dev` would, and waits for it to listen. */
export async function startApi(env: Record<string, string>): Promise<RunningApi> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: API_DIR,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`API exited with ${code}: ${output}`)));
  });
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Runs `src/index.ts` expecting it to fail at start; resolves with its exit code and stderr. */
export async function failedStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: API_DIR,
    env: { ...process.env, PORT: '0', DATABASE_PATH: ':memory:', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}

/** A `POST /auth/*` as a browser would send it, with the refresh cookie when given. */
export const postAuth = (url: string, cookie?: string, body: unknown = {}) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Requested-With': 'fetch',
      ...(cookie ? { Cookie: `tokenlane_rt=${cookie}` } : {}),
    },
    body: JSON.stringify(body),
  });

/** The `tokenlane_rt` value a fetch response set, if any. */
export const refreshCookieFrom = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('tokenlane_rt='))
    ?.split(';')[0]
    ?.slice('tokenlane_rt='.length);
