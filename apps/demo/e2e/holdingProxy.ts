import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy passed to the API: its path, whose access token it carried, its status. */
export interface Passed {
  path: string;
  /** The `sub` of the Bearer token it carried, if any. */
  sub: string | null;
  status: number;
}

const HOP_HEADERS = ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'];

/** The JSON payload of a JWT (no verification: the API did that). */
const subOf = (authorization: string | undefined): string | null => {
  const token = authorization?.replace(/^(Bearer|DPoP) /, '');
  const payload = token?.split('.')[1];
  if (!payload) return null;
  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string }).sub ?? null;
};

const bodyOf = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks);
};

/**
 * A proxy of the test's own between the demo's server and the API, on loopback: it records the
 * user of every `/api` request and every refresh cookie the API set (with its user), holds refresh
 * answers on their way back while told to (the API has acted already), and answers the logout
 * with a status of the test's choosing while told to (the API never hears of it).
 */
export async function startHoldingProxy(target: string) {
  const passed: Passed[] = [];
  /** Every refresh cookie the API set, with the email of the user its answer named. */
  const cookies: Array<{ email: string | null; token: string }> = [];
  let holding: { release: Promise<void>; open: () => void; held: number } | null = null;
  let heldOne: () => void = () => {};
  let logoutAnswer: number | null = null;
  let logouts = 0;
  let refreshes = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      if (path.startsWith('/auth/refresh')) refreshes++;
      if (path.startsWith('/auth/logout')) {
        logouts++;
        if (logoutAnswer !== null) {
          res.writeHead(logoutAnswer, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: 'store_unavailable', message: 'Store unavailable' }));
          return;
        }
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => !HOP_HEADERS.includes(name)),
      ) as Record<string, string>;
      const answer = await fetch(`${target}${path}`, {
        method: req.method ?? 'GET',
        headers,
        body: await bodyOf(req),
        redirect: 'manual',
      });
      const body = Buffer.from(await answer.arrayBuffer());
      if (path.startsWith('/api/')) {
        passed.push({ path, sub: subOf(req.headers.authorization), status: answer.status });
      }
      for (const cookie of answer.headers.getSetCookie()) {
        const token = /^tokenlane_rt=([^;]+)/.exec(cookie)?.[1];
        if (!token) continue;
        const email = answer.ok
          ? ((JSON.parse(body.toString()) as { user?: { email?: string } }).user?.email ?? null)
          : null;
        cookies.push({ email, token });
      }
      if (path.startsWith('/auth/refresh') && holding) {
        holding.held++;
        heldOne();
        await holding.release;
      }
      const out: Record<string, string | string[]> = {};
      answer.headers.forEach((value, name) => {
        if (!['content-encoding', 'content-length', 'set-cookie', 'connection'].includes(name)) {
          out[name] = value;
        }
      });
      const setCookies = answer.headers.getSetCookie();
      if (setCookies.length > 0) out['set-cookie'] = setCookies;
      res.writeHead(answer.status, out);
      res.end(body);
    })().catch((error: unknown) => {
      res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'proxy', message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    passed,
    cookies,
    counts: () => ({ refreshes, logouts }),
    /** Holds every refresh answer from now on; resolves once the first is held. */
    hold() {
      let open = () => {};
      const release = new Promise<void>((resolve) => (open = resolve));
      holding = { release, open, held: 0 };
      return new Promise<void>((resolve) => (heldOne = resolve));
    },
    /** Lets the held answers go, and holds no more. */
    release() {
      holding?.open();
      holding = null;
    },
    /** Answers every logout with `status` (the API never hears of it); `null`: pass them on. */
    answerLogout: (status: number | null) => void (logoutAnswer = status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
