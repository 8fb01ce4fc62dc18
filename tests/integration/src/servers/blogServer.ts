import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cookieParser from 'cookie-parser';
import express from 'express';
import jwt from 'jsonwebtoken';

// A server in the convention of the popular blog recipe Tokenlane started from, written as the
// post shows it: the raw token in `Authorization` (`jwt.verify(req.headers.authorization, ...)`),
// 403 for a bad or expired token, `{ access_token }` answers, the refresh token in an HttpOnly
// cookie. Its clock can be moved so that a test can expire tokens at once.

const ACCESS_SECRET = 'blog-access-secret';
const REFRESH_SECRET = 'blog-refresh-secret';
export const BLOG_USER = { email: 'reader@blog.example', password: 'hunter2' };

export interface BlogServer {
  url: string;
  counts: { refresh: number; forbidden: number; api: number };
  reset(): void;
  /** Moves the server's clock: tokens issued before expire at once. */
  skip(seconds: number): void;
  close(): Promise<void>;
}

export async function startBlogServer({ accessTokenTtlSeconds = 2 } = {}): Promise<BlogServer> {
  let skew = 0;
  const now = () => Math.floor(Date.now() / 1000) + skew;
  const counts = { refresh: 0, forbidden: 0, api: 0 };
  const sign = (email: string) =>
    jwt.sign({ email, iat: now(), exp: now() + accessTokenTtlSeconds }, ACCESS_SECRET);

  const app = express();
  app.use(express.json());
  app.use(cookieParser());
  app.post('/api/user/login', (req, res) => {
    const { email, password } = (req.body ?? {}) as { email?: string; password?: string };
    if (email !== BLOG_USER.email || password !== BLOG_USER.password) {
      res.status(401).json({ error: 'invalid_credentials' });
      return;
    }
    const refresh = jwt.sign({ email }, REFRESH_SECRET, { expiresIn: '7d' });
    res.cookie('refresh_token', refresh, { httpOnly: true, path: '/api/user/refresh_token' });
    res.json({ access_token: sign(email) });
  });
  app.post('/api/user/refresh_token', (req, res) => {
    counts.refresh++;
    const token = (req.cookies as Record<string, string | undefined>).refresh_token;
    try {
      const { email } = jwt.verify(token ?? '', REFRESH_SECRET) as { email: string };
      res.json({ access_token: sign(email) });
    } catch {
      res.status(401).json({ error: 'invalid_refresh_token' });
    }
  });
  app.get('/api/todos', (req, res) => {
    counts.api++;
    try {
      jwt.verify(req.headers.authorization ?? '', ACCESS_SECRET, { clockTimestamp: now() });
    } catch {
      counts.forbidden++;
      res.sendStatus(403);
      return;
    }
    res.json([{ id: 1, title: 'read the post' }]);
  });

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    reset: () => Object.assign(counts, { refresh: 0, forbidden: 0, api: 0 }),
    skip: (seconds) => void (skew += seconds),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
