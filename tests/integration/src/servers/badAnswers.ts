import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stub answers to refresh calls while it misbehaves. */
export type BadAnswer = 'html-502' | 'empty-200' | 'empty-json';

/**
 * A stub in front of a real server: forwards everything, except that while `answer` is set, calls
 * to `refreshPath` get that bad answer instead (a proxy's HTML error page, an empty 200, `{}`).
 */
export async function startBadAnswerProxy(target: string, refreshPath: string) {
  const upstream = new URL(target);
  let answer: BadAnswer | null = null;
  let refreshCalls = 0;
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith(refreshPath)) refreshCalls++;
    if (answer && req.url?.startsWith(refreshPath)) {
      req.resume();
      if (answer === 'html-502') {
        res
          .writeHead(502, { 'Content-Type': 'text/html' })
          .end('<html><h1>502 Bad Gateway</h1></html>');
      } else if (answer === 'empty-200') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end();
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      }
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answered) => {
        res.writeHead(answered.statusCode ?? 502, answered.headers);
        answered.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Misbehave with `bad`, or forward again with `null`. */
    answerWith: (bad: BadAnswer | null) => void (answer = bad),
    refreshCalls: () => refreshCalls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
