import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage', 'location'];

afterEach(() => {
  for (const name of BROWSER_GLOBALS) delete (globalThis as Record<string, unknown>)[name];
});

describe('SSR safety', () => {
  it('importing the package touches no browser global', async () => {
    // The peers (axios, TanStack Query) feature-detect the platform when they load; only our own
    // modules are judged here.
    await Promise.all([import('axios'), import('react'), import('@tanstack/react-query')]);
    const touched: string[] = [];
    for (const name of BROWSER_GLOBALS) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          return undefined;
        },
      });
    }
    const mod = await import('../index.js');
    expect(typeof mod.createAuthClient).toBe('function');
    expect(touched).toEqual([]);
  });

  it('creates a working client in Node, without cross-tab machinery', async () => {
    const { createAuthClient } = await import('../index.js');
    const client = createAuthClient({ baseURL: 'http://127.0.0.1:1' });
    expect(client.getState()).toEqual({
      status: 'loading',
      user: null,
      expiresAt: null,
      sessionEndsAt: null,
    });
    expect(await client.getAccessToken()).toBeNull();
    client.dispose();
  });

  it('loads the built ./client entry from plain Node, as ESM and as CommonJS', () => {
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const esm = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('@tokenlane/react-auth/client'); console.log(m.createAuthClient().getState().status)",
      ],
      { cwd, encoding: 'utf8' },
    );
    const cjs = execFileSync(
      process.execPath,
      [
        '-e',
        "const m = require('@tokenlane/react-auth/client'); console.log(typeof m.SessionExpiredError, new m.SessionExpiredError().code)",
      ],
      { cwd, encoding: 'utf8' },
    );
    expect(esm.trim()).toBe('loading');
    expect(cjs.trim()).toBe('function session_expired');
  });

  it.each([
    [
      'CommonJS',
      "const [a, b] = [require('@tokenlane/react-auth'), require('@tokenlane/react-auth/client')];",
    ],
    [
      'ESM',
      "const [a, b] = await Promise.all([import('@tokenlane/react-auth'), import('@tokenlane/react-auth/client')]);",
    ],
  ])(
    'shares one copy of every class and of createAuthClient between the entries (%s)',
    (kind, load) => {
      const cwd = fileURLToPath(new URL('../..', import.meta.url));
      const names = [
        'AuthError',
        'AuthRequestError',
        'RefreshFailedError',
        'SessionExpiredError',
        'createAuthClient',
        'createMemoryLock',
      ];
      const compare = `${load} console.log(JSON.stringify(${JSON.stringify(names)}.map((name) => [name, typeof a[name] === 'function' && a[name] === b[name]])));`;
      const out = execFileSync(
        process.execPath,
        kind === 'ESM' ? ['--input-type=module', '-e', compare] : ['-e', compare],
        { cwd, encoding: 'utf8' },
      );
      expect(JSON.parse(out) as unknown).toEqual(names.map((name) => [name, true]));
    },
  );
});
