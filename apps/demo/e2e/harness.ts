import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApi, type TestApi } from '@tokenlane/test-harness';
import { launchChromium, signInAtProvider } from '@tokenlane/test-servers/chromium';
import { startBff, type RunningBff } from './bffServer.js';
import type { Page } from 'playwright-core';
import { OIDC_CLIENT_ID, startOidcProvider, type OidcServer } from '@tokenlane/test-servers/oidc';

const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots land here (ignored by git). */
export const ARTIFACTS = join(DEMO_DIR, 'e2e-artifacts');

export { CHROMIUM, launchChromium } from '@tokenlane/test-servers/chromium';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The built demo served by `vite preview`, proxying /auth and /api to `apiUrl` (and /bff, /bff-api to `bffUrl`). */
async function startPreview(apiUrl: string, port: number, bffUrl?: string): Promise<ChildProcess> {
  if (!existsSync(join(DEMO_DIR, 'dist', 'index.html'))) {
    throw new Error(
      'The demo is not built: run `npm run build -w @tokenlane/demo` (npm test does it).',
    );
  }
  const vite = join(
    dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  const child = spawn(
    process.execPath,
    [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    {
      cwd: DEMO_DIR,
      env: { ...process.env, API_URL: apiUrl, ...(bffUrl && { BFF_URL: bffUrl }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`vite preview did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The API (temporary SQLite, short tokens) and the built demo, on free loopback ports. */
export interface Stack {
  api: TestApi;
  /** The BFF (`bff: true`): its store holds the only copies of the tokens. */
  bff?: RunningBff;
  /** The demo's URL (served on localhost, a secure context, so the Secure cookie is kept). */
  url: string;
  close(): Promise<void>;
}

export async function startStack({
  accessTokenTtlSeconds = 3,
  env = {},
  via,
  bff: withBff = false,
}: {
  accessTokenTtlSeconds?: number;
  /** Also start the BFF for `?mode=bff`: on the API (`true`), or on oidc-provider (`'oidc'`). */
  bff?: boolean | 'oidc';
  env?: Record<string, string>;
  /** A proxy of the test's own between the demo's server and the API: its URL for `apiUrl`. */
  via?: (apiUrl: string) => Promise<string>;
} = {}): Promise<Stack> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const api = await startTestApi({
    accessTokenTtlSeconds,
    env: { CORS_ORIGINS: `${url},http://127.0.0.1:${port}`, LOGIN_RATE_LIMIT: '5', ...env },
  });
  let preview: ChildProcess | undefined;
  let bff: RunningBff | undefined;
  try {
    if (withBff) {
      bff = await startBff(api.url, url, {
        upstream: withBff === 'oidc' ? 'oidc' : 'tokenlane',
        accessTokenTtlSeconds,
      });
    }
    preview = await startPreview(via ? await via(api.url) : api.url, port, bff?.url);
  } catch (error) {
    await bff?.close();
    await api.close();
    throw error;
  }
  return {
    api,
    bff,
    url,
    async close() {
      preview?.kill('SIGTERM');
      await bff?.close();
      await api.close();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens `url` and signs in through the login form; resolves with the access token issued. */
export async function signInAt(page: Page, url: string, user: { email: string; password: string }) {
  await page.goto(url);
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  // The API's login, or the BFF's (`?mode=bff`: its answer holds no token, and this resolves with '').
  const response = page.waitForResponse((r) =>
    /\/(auth|bff)\/login$/.test(new URL(r.url()).pathname),
  );
  await page.getByTestId('login-submit').click();
  const body = (await (await response).json()) as { accessToken?: string };
  await page.getByTestId('todo-input').waitFor();
  return body.accessToken ?? '';
}

/** Clicks the burst panel's button (once per page) and resolves with its result line. */
export async function fireBurst(page: Page): Promise<string | null> {
  await page.getByTestId('burst-button').click();
  const result = page.getByTestId('burst-result').filter({ hasText: /succeeded/ });
  await result.waitFor({ timeout: 15_000 });
  return result.textContent();
}

/** Opens the demo's OAuth mode at `appUrl` and signs in at the provider's login and consent pages. */
export async function signInOAuth(page: Page, appUrl: string, issuer: string, dpop = false) {
  const query = new URLSearchParams({ server: 'oauth', issuer, client_id: OIDC_CLIENT_ID });
  if (dpop) query.set('dpop', 'on');
  await page.goto(`${appUrl}/?${query}`);
  await page.getByTestId('oauth-login').click();
  await signInAtProvider(page);
  await page.getByTestId('oauth-user').waitFor();
}

/** Chromium, the demo and an OAuth provider beside it, tokens living `accessTokenTtlSeconds` seconds. */
export async function startOAuthWorld(accessTokenTtlSeconds: number) {
  const browser = await launchChromium();
  const stack = await startStack({ accessTokenTtlSeconds });
  const provider: OidcServer = await startOidcProvider({
    accessTokenTtlSeconds,
    redirectUris: [`${stack.url}/oauth/callback`],
    // Proofs must carry the provider's nonce; bearer requests are not affected.
    dpop: { requireNonce: true },
  });
  return {
    browser,
    stack,
    provider,
    async close() {
      await browser.close();
      await provider.close();
      await stack.close();
    },
  };
}
