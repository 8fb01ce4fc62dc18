import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { HttpError } from '../errors.js';

const title = z.string().trim().min(1, 'must not be empty').max(200);
const createBody = z.object({ title });
const patchBody = z
  .object({ title: title.optional(), done: z.boolean().optional() })
  .refine((body) => body.title !== undefined || body.done !== undefined, {
    message: 'title or done is required',
  });

/** The largest page a list answers, and its default size. */
export const MAX_PAGE_SIZE = 100;

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional().default(MAX_PAGE_SIZE),
  cursor: z.string().min(1).max(200).optional(),
});

const notFound = () => new HttpError(404, 'not_found', 'No such todo');

/** The caller's id; `requireAuth` ran before. */
const userId = (req: Request): string => {
  if (!req.auth) throw new Error('requireAuth must run before this handler');
  return req.auth.sub;
};

/** `/api/todos` CRUD: every route sees only the caller's own todos; others' ids answer 404. */
export function todoRoutes({ stores, authenticate, config, live }: AppContext): Router {
  const router = Router();
  router.use(authenticate);

  // A page of at most 100, oldest first; a next page is announced as `Link: <...>; rel="next"`
  // (RFC 8288), so the body stays a plain array.
  router.get('/', async (req, res) => {
    const { limit, cursor } = listQuery.parse(req.query);
    const page = await stores.todos.list(userId(req), { limit, cursor });
    if (page.next) {
      const next = new URLSearchParams({ limit: String(limit), cursor: page.next });
      res.set('Link', `<${req.baseUrl}?${next.toString()}>; rel="next"`);
    }
    res.json(page.items);
  });
  router.post('/', async (req, res) => {
    const body = createBody.parse(req.body);
    const todo = await stores.todos.create(userId(req), body.title, config.todoQuota);
    live.publish(userId(req), 'created', todo);
    res.status(201).json(todo);
  });
  router.patch('/:id', async (req, res) => {
    const body = patchBody.parse(req.body);
    const todo = await stores.todos.update(userId(req), req.params.id, body);
    if (!todo) throw notFound();
    live.publish(userId(req), 'updated', todo);
    res.json(todo);
  });
  router.delete('/:id', async (req, res) => {
    if (!(await stores.todos.remove(userId(req), req.params.id))) throw notFound();
    live.publish(userId(req), 'deleted', { id: req.params.id });
    res.status(204).end();
  });
  return router;
}
