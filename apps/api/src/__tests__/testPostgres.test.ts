import { afterEach, expect, it, vi } from 'vitest';
import { startTestPostgres } from '@tokenlane/test-harness';

afterEach(() => vi.unstubAllEnvs());

it('fails with the install line when the Postgres binaries are missing (never a silent skip)', async () => {
  vi.stubEnv('TEST_DATABASE_URL', '');
  vi.stubEnv('POSTGRES_BIN', '/nonexistent/postgresql/bin');
  await expect(startTestPostgres()).rejects.toThrow(
    'apt-get update && apt-get install -y postgresql',
  );
});
