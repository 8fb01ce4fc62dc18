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

const notFound = () => new HttpError(404, 'not_found', 'No such todo');

/** The caller's id; `requireAuth` ran before. */
const userId = (req: Request): string => {
  if (!req.auth) throw new Error('requireAuth must run before this handler');
  return req.auth.sub;
};

/** `/api/todos` CRUD: every route sees only the caller's own todos; others' ids answer 404. */
export function todoRoutes({ stores, authenticate }: AppContext): Router {
  const router = Router();
  router.use(authenticate);

  router.get('/', async (req, res) => {
    res.json(await stores.todos.list(userId(req)));
  });
  router.post('/', async (req, res) => {
    const body = createBody.parse(req.body);
    res.status(201).json(await stores.todos.create(userId(req), body.title));
  });
  router.patch('/:id', async (req, res) => {
    const body = patchBody.parse(req.body);
    const todo = await stores.todos.update(userId(req), req.params.id, body);
    if (!todo) throw notFound();
    res.json(todo);
  });
  router.delete('/:id', async (req, res) => {
    if (!(await stores.todos.remove(userId(req), req.params.id))) throw notFound();
    res.status(204).end();
  });
  return router;
}
