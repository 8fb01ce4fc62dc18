import type { NextConfig } from 'next';

const origin = process.env.APP_ORIGIN;

export default {
  // The BFF keeps one Redis connection and one single-flight per process: load it from
  // node_modules rather than bundled into each route's server code.
  serverExternalPackages: ['@tokenlane/bff', 'ioredis'],
  // Behind a proxy that rewrites `Host`, server actions accept the app's public origin (read when
  // `next start` loads this file, so one build serves any origin).
  ...(origin && { experimental: { serverActions: { allowedOrigins: [new URL(origin).host] } } }),
} satisfies NextConfig;
