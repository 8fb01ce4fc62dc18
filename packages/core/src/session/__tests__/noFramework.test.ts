/// <reference types="vite/client" />
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

// Importing React or axios from the core would now throw.
vi.mock('react', () => {
  throw new Error('src/core imported react');
});
vi.mock('axios', () => {
  throw new Error('src/core imported axios');
});

const coreDir = fileURLToPath(new URL('..', import.meta.url));
const coreFiles = readdirSync(coreDir).filter((file) => file.endsWith('.ts'));

describe('src/core', () => {
  it('has no import of react, react-dom, axios or @tanstack anywhere', () => {
    expect(coreFiles.length).toBeGreaterThan(5);
    for (const file of coreFiles) {
      const source = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/from\s+['"](react|react-dom|axios|@tanstack\/[^'"]+)['"]/);
      expect(source, file).not.toMatch(/from\s+['"]\.\.\/(axios|react)\//);
    }
  });

  it('loads and runs with react and axios unavailable', async () => {
    const loaders = import.meta.glob('../*.ts');
    expect(Object.keys(loaders)).toHaveLength(coreFiles.length);
    for (const load of Object.values(loaders)) await load();
    const { createSession } = await import('../session.js');
    const { defaultRuntime } = await import('../runtime.js');
    const { session } = createSession({
      transport: {
        login: () => Promise.resolve({ accessToken: 'a', expiresIn: 60 }),
        refresh: () => Promise.reject(new Error('unused')),
        logout: () => Promise.resolve(),
      },
      runtime: defaultRuntime(),
      refreshLeewaySeconds: 30,
    });
    await session.login({ email: 'a@b.c', password: 'p' });
    expect(session.getState().status).toBe('authenticated');
    session.dispose();
  });
});
