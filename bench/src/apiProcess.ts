// The API side of the benchmarks, in its own process so that client-side timings and memory are
// the client's alone. Driven by the parent over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '@tokenlane/api';
import { startTestApi, startTestPostgres, type TestApi } from '@tokenlane/test-harness';

export type Command =
  | { type: 'advance'; ms: number }
  | { type: 'reset' }
  | { type: 'counts' }
  | { type: 'open'; userId: string }
  | { type: 'close' };

const ttl = Number(process.env.ACCESS_TOKEN_TTL ?? 2);
/** Short tokens on a real clock: the steady-state benchmark lives through several lifetimes. */
const short = await startTestApi({ accessTokenTtlSeconds: ttl });
/**
 * Bursts: tokens that outlive even a 10 000-request burst, on a clock the benchmark moves forward
 * to expire them at once (instead of sleeping).
 */
let offset = 0;
const burst = await startTestApi({ accessTokenTtlSeconds: 60, now: () => Date.now() + offset });
// Throughput runs for seconds at a time: it needs tokens that outlive it.
const long = await startTestApi({ accessTokenTtlSeconds: 3600 });
// The same on Postgres (a throwaway Debian Postgres 15 cluster), for the store comparison.
const postgres = await startTestPostgres();
const longPostgres = await startTestApi({
  accessTokenTtlSeconds: 3600,
  env: { DATABASE_URL: await postgres.createDatabase() },
});

/** Answers everything at once: the endpoint the interceptor-overhead benchmark hits. */
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const fakeToken = `${b64({ alg: 'HS256' })}.${b64({ sub: 'u', iat: now, exp: now + 3600 })}.sig`;
const echo = createServer((req, res) => {
  const body = req.url?.startsWith('/auth/login')
    ? {
        accessToken: fakeToken,
        tokenType: 'Bearer',
        expiresIn: 3600,
        user: { id: 'u', email: 'u@x', name: 'u', role: 'user' },
      }
    : { ok: true };
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
});
await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));

const servers: Array<ReturnType<typeof createServer>> = [];

const listen = (app: Parameters<typeof createServer>[1]) =>
  new Promise<string>((resolve) => {
    const server = createServer(app);
    servers.push(server);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });

/**
 * Two plain servers on the same stores, for throughput: the app as shipped, and the same app and
 * handlers with Bearer verification replaced by a fixed identity.
 */
async function throughputServers(api: TestApi, userId: string) {
  const authed = await listen(createApp(api.config, api.stores));
  const open = await listen(
    createApp(api.config, api.stores, {
      authenticate: (req, _res, next) => {
        (req as { auth?: object }).auth = {
          sub: userId,
          role: 'user',
          exp: Number.MAX_SAFE_INTEGER,
        };
        next();
      },
    }),
  );
  return { authed, open };
}

process.on('message', (command: Command) => {
  void (async () => {
    switch (command.type) {
      case 'advance':
        offset += command.ms;
        return process.send?.({ type: 'ok' });
      case 'reset':
        short.reset();
        burst.reset();
        long.reset();
        return process.send?.({ type: 'ok' });
      case 'counts':
        return process.send?.({
          type: 'counts',
          short: { ...short.counts },
          burst: { ...burst.counts },
          long: { ...long.counts },
        });
      case 'open':
        return process.send?.({ type: 'open', ...(await throughputServers(long, command.userId)) });
      case 'close':
        servers.forEach((server) => server.close());
        echo.close();
        await Promise.all([short.close(), burst.close(), long.close(), longPostgres.close()]);
        await postgres.close();
        process.send?.({ type: 'ok' });
        process.exit(0);
    }
  })();
});

process.send?.({
  type: 'ready',
  short: short.url,
  burst: burst.url,
  burstTtl: 60,
  long: long.url,
  longPostgres: longPostgres.url,
  echo: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
  ttl,
});
