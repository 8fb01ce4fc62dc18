import { createFileRoute } from '@tanstack/react-router';
import { handleBff } from '../session/bff';

/** The BFF's proxy (/api/*): the browser's calls go out with the session's token. */
export const Route = createFileRoute('/api/$')({
  server: { handlers: { GET: handleBff, POST: handleBff } },
});
