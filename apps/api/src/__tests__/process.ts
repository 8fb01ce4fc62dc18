import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startApiProcess } from '@tokenlane/test-harness';

const API_DIR = fileURLToPath(new URL('../..', import.meta.url));

export type { RunningApi } from '@tokenlane/test-harness';

/** Runs `src/index.ts` in its own Node process, as `npm run dev` would, and waits for it to listen. */
export const startApi = startApiProcess;

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

export { postAuth, refreshCookieFrom } from '@tokenlane/test-harness';
