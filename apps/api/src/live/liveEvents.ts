import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { HttpError } from '../errors.js';
import type { TodoChange } from './liveHub.js';

/** An open event stream: whose it is, and when its token expires. */
interface Stream {
  userId: string;
  expireAt(exp: number): void;
}

const authBody = z.object({ stream: z.string().min(1).max(100) });

/** One Server-Sent Event. */
const event = (name: string, data: unknown, id?: number) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `/api/events` (Server-Sent Events): the user's todo changes, each with its `id`. The token
 * goes in the `Authorization` header (Bearer or DPoP, as on every route: a fetch-based client
 * sends headers, which `EventSource` cannot). The first event, `ready`, names the stream; a new
 * token for it is `POST /api/events/auth {stream}` with that token, before the last one expires,
 * and the stream goes on. At the expiry the stream says `expired` and ends: the client connects
 * again with a fresh token and `Last-Event-ID`, and gets every change it missed (or `reset`
 * when they are no longer kept: reload the list).
 */
export function liveEventRoutes({ authenticate, live, now }: AppContext): Router {
  const router = Router();
  const streams = new Map<string, Stream>();
  router.use(authenticate);

  router.get('/', (req, res) => {
    const claims = req.auth!;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const stream: Stream = {
      userId: claims.sub,
      expireAt(exp) {
        clearTimeout(timer);
        timer = setTimeout(
          () => {
            res.end(event('expired', {}));
          },
          Math.max(0, exp * 1000 - now()),
        );
      },
    };
    streams.set(id, stream);
    stream.expireAt(claims.exp);
    res.write(event('ready', { stream: id, exp: claims.exp }));
    const send = (change: TodoChange) => res.write(event('todo', change, change.id));
    const last = Number(req.get('last-event-id'));
    if (Number.isInteger(last) && last >= 0) {
      const missed = live.since(claims.sub, last);
      if (missed) missed.forEach(send);
      else res.write(event('reset', {}));
    }
    const unsubscribe = live.subscribe(claims.sub, send);
    res.on('close', () => {
      clearTimeout(timer);
      unsubscribe();
      streams.delete(id);
    });
  });

  router.post('/auth', (req, res) => {
    const { stream: id } = authBody.parse(req.body);
    const stream = streams.get(id);
    if (!stream) throw new HttpError(404, 'not_found', 'No such stream');
    if (stream.userId !== req.auth!.sub) {
      throw new HttpError(403, 'other_user', 'The stream belongs to another user');
    }
    stream.expireAt(req.auth!.exp);
    res.status(204).end();
  });
  return router;
}
