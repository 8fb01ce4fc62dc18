import { getBff } from '../../../lib/bff';

// The BFF's endpoints (/bff/login, /bff/callback, /bff/session, /bff/logout, ...) as one route
// handler: the BFF answers Web `Request`s, which is what Next.js hands a route handler.
const handle = async (request: Request) =>
  (await getBff().handle(request)) ?? new Response('Not found', { status: 404 });

export { handle as GET, handle as POST };
