import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/** An upstream API for the proxy's tests: what it saw, and answers that stream. */
export interface ResourceServer {
  url: string;
  /** Every request it received: method, path and the headers that matter. */
  seen: Array<{
    method: string;
    path: string;
    authorization?: string;
    cookie?: string;
    connection?: string;
  }>;
  /** Resolves each time the event stream may send its next event (the test's go-ahead). */
  nextEvent(): void;
  close(): Promise<void>;
}

/**
 * `GET /whoami` (what the request carried), `POST /upload` (counts the bytes it streamed in),
 * `GET /download?bytes=N`, `GET /events` (Server-Sent Events, one per `nextEvent()`), `GET /refuse`
 * (401, a token the upstream does not accept), `GET /step-up` (401 asking for a newer sign-in),
 * and WebSocket upgrades on `/socket` that answer the `Authorization` they were opened with.
 * It also tries to set a cookie on every answer, which the BFF must strip.
 */
export async function startResourceServer(): Promise<ResourceServer> {
  const seen: ResourceServer['seen'] = [];
  const waiting: Array<() => void> = [];
  let credit = 0;
  const nextEvent = () => {
    const resume = waiting.shift();
    if (resume) resume();
    else credit++;
  };
  const turn = () =>
    credit > 0
      ? Promise.resolve(void credit--)
      : new Promise<void>((resolve) => waiting.push(resolve));
  const record = (req: IncomingMessage) =>
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      connection: req.headers['x-hop'] as string | undefined,
    });
  const server: Server = createServer((req, res) => {
    record(req);
    res.setHeader('Set-Cookie', 'upstream=1; Path=/');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/whoami') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ scheme: req.headers.authorization?.split(' ')[0] ?? null }));
    } else if (path === '/upload') {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes })),
      );
    } else if (path === '/download') {
      const total = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('bytes'));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      let sent = 0;
      const write = () => {
        while (sent < total) {
          const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
          sent += part.length;
          if (!res.write(part)) return void res.once('drain', write);
        }
        res.end();
      };
      write();
    } else if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      void (async () => {
        for (let id = 1; id <= 3; id++) {
          await turn();
          res.write(`id: ${id}\ndata: event ${id}\n\n`);
        }
        res.end();
      })();
    } else if (path === '/refuse') {
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    } else if (path === '/step-up') {
      res
        .writeHead(401, {
          'www-authenticate': 'Bearer error="insufficient_user_authentication", max_age=60',
        })
        .end();
    } else {
      res.writeHead(404).end();
    }
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    record(req);
    if (!req.url?.startsWith('/socket')) return socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => {
      ws.send(JSON.stringify({ authorization: req.headers.authorization?.split(' ')[0] ?? null }));
      ws.on('message', (data) => ws.send(`echo ${(data as Buffer).toString()}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    nextEvent,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
