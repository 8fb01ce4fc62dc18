import type { NextConfig } from 'next';

export default {
  // The BFF keeps one Redis connection and one single-flight per process: load it from
  // node_modules rather than bundled into each route's server code.
  serverExternalPackages: ['@tokenlane/bff', 'ioredis'],
} satisfies NextConfig;
