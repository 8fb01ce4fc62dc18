import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApi, type TestApi } from '@tokenlane/test-harness';
import { startRoundRobin, type RoundRobin } from '@tokenlane/test-servers/roundRobin';
import { createBff, type Bff } from '../../createBff.js';
import { toNodeHandler } from '../../nodeHandler.js';
import { proxyWebSockets } from '../../webSockets.js';
import { sqliteStore } from '../../store/sqlite.js';
import type { SessionStore } from '../../store/types.js';
import { tokenlaneUpstream } from '../../upstream/tokenlaneUpstream.js';
import { TEST_KEYS } from './bffStack.js';

/** The real API behind a BFF, on one clock the test moves; see `startTokenlaneStack`. */
export interface TokenlaneStack {
  api: TestApi;
  /** Between the BFF and the API: where a test loses the API's answers. */
  link: RoundRobin;
  store: SessionStore;
  bff: Bff;
  /** The BFF's URL: the app's origin. */
  origin: string;
  /** Moves the API's and the BFF's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startTokenlaneStack(
  accessTokenTtlSeconds = 60,
  options: { refreshLeewaySeconds?: number } = {},
): Promise<TokenlaneStack> {
  let offset = 0;
  const now = () => Date.now() + offset;
  const api = await startTestApi({ accessTokenTtlSeconds, now });
  const link = await startRoundRobin([api.url]);
  const store = sqliteStore({ path: ':memory:', now });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bff = createBff({
    upstream: tokenlaneUpstream({ baseURL: link.url }),
    store,
    keys: TEST_KEYS,
    origin,
    proxy: [{ path: '/api', target: `${link.url}/api` }],
    now,
    ...options,
  });
  server.on('request', toNodeHandler(bff));
  proxyWebSockets(server, bff);
  return {
    api,
    link,
    store,
    bff,
    origin,
    advance: (ms) => void (offset += ms),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await bff.close();
      await link.close();
      await api.close();
    },
  };
}
