import type { Config } from '@react-router/dev/config';

export default {
  ssr: true,
  // Middleware (stable in v8): the root's opens one request scope for the session reads.
  future: { v8_middleware: true },
} satisfies Config;
