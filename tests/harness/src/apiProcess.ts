import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

// apps/api, the API's workspace.
const API_DIR = fileURLToPath(new URL('../../../apps/api/', import.meta.url));

/** An API process started by `startApiProcess`. */
export interface RunningApi {
  url: string;
  child: ChildProcess;
  /** Everything it logged so far (JSON lines). */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL (a crash, a lost machine) and resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * Runs the API in its own Node process on a free loopback port, and waits for it to listen: from
 * source (`src/index.ts` through tsx, as `npm run dev` would), or with `built` the build
 * (`dist/index.js`, as `npm start` would: a faster start, for tests that start many).
 */
export async function startApiProcess(
  env: Record<string, string>,
  { built = false } = {},
): Promise<RunningApi> {
  const args = built ? ['dist/index.js'] : ['--import', 'tsx', 'src/index.ts'];
  const child = spawn(process.execPath, args, {
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
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (exited()) return child.exitCode;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await gone) as [number | null];
      return code;
    },
    kill: async () => {
      if (exited()) return;
      const gone = once(child, 'exit');
      child.kill('SIGKILL');
      await gone;
    },
  };
}
