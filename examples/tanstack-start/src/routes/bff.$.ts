import { createFileRoute } from '@tanstack/react-router';
import { handleBff } from '../session/bff';

/** The BFF's endpoints (/bff/login, /bff/callback, /bff/session, /bff/logout, ...). */
export const Route = createFileRoute('/bff/$')({
  server: { handlers: { GET: handleBff, POST: handleBff } },
});
