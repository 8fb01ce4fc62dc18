import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBffServer } from '@tokenlane/bff-server';

/** The demo's BFF for a test, in this process; see `startBff`. */
export interface RunningBff {
  url: string;
  /** Its sealing key (the test opens the store to learn which tokens must never reach the page). */
  keys: string;
  /** The SQLite file of its sessions. */
  databasePath: string;
  close(): Promise<void>;
}

/** apps/bff on a free loopback port, on the API at `apiUrl`, for the page at `origin`. */
export async function startBff(apiUrl: string, origin: string): Promise<RunningBff> {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-bff-e2e-'));
  const keys = randomBytes(32).toString('base64url');
  const databasePath = join(dir, 'bff.sqlite');
  const { server, bff } = await createBffServer({
    port: 0,
    host: '127.0.0.1',
    origin,
    upstream: 'tokenlane',
    apiUrl,
    proxyTarget: `${apiUrl}/api`,
    oidc: { issuer: '', clientId: '', clientSecret: '' },
    store: 'sqlite',
    sqlitePath: databasePath,
    redisUrl: undefined,
    databaseUrl: undefined,
    keys,
    idleTimeoutSeconds: 1800,
    absoluteTimeoutSeconds: 43_200,
    // The e2e API's access tokens live 3 s.
    refreshLeewaySeconds: 1,
    proxyRateLimit: 1200,
    loginRateLimit: 10,
    upstreamTimeoutSeconds: 15,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keys,
    databasePath,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await bff.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
