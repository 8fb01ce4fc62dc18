import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const app = fileURLToPath(new URL('../app', import.meta.url));
// Inside the workspace, so that the copies resolve the packages as the app does.
const work = fileURLToPath(new URL('../.build', import.meta.url));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Builds a copy of `app/` whose entry module is `main`, for production; returns its JavaScript. */
async function productionBuild(name: string, main: string): Promise<string> {
  const root = join(work, name);
  cpSync(app, root, { recursive: true });
  writeFileSync(join(root, 'main.tsx'), main);
  const outDir = join(root, 'dist');
  await build({
    root,
    logLevel: 'silent',
    plugins: [react()],
    build: { outDir, emptyOutDir: true },
  });
  const assets = join(outDir, 'assets');
  return readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n');
}

// What only axios's code contains, minified or not.
const AXIOS_MARKERS = ['AxiosError', 'AxiosHeaders', 'ERR_BAD_REQUEST', 'ERR_CANCELED'];
const markersIn = (code: string) => AXIOS_MARKERS.filter((marker) => code.includes(marker));

const fetchOnly = readFileSync(join(app, 'main.tsx'), 'utf8');

describe('a Vite production build', () => {
  it('of an app that imports only @tokenlane/react-auth/fetch contains no axios code', async () => {
    const code = await productionBuild('fetch-only', fetchOnly);
    expect(code).toContain('/auth/refresh');
    expect(markersIn(code)).toEqual([]);
  });

  it('of the same app on the root entry does contain axios (the check can see it)', async () => {
    const root = fetchOnly
      .replace("from '@tokenlane/react-auth/fetch'", "from '@tokenlane/react-auth'")
      .replace('createFetchClient', 'createAuthClient')
      .replace('const auth = createFetchClient();', 'const auth = createAuthClient();');
    const code = await productionBuild('root', root);
    expect(markersIn(code)).toEqual(AXIOS_MARKERS);
  });
});
