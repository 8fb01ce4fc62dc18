import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// The environment the API reads: each variable, its default and what a valid value is. `loadConfig`
// (config.ts) turns the parsed result into a `Config`.

/** Minimum length of `JWT_SECRET`, bytes (256 bits, as HS256 needs). */
export const MIN_SECRET_BYTES = 32;

const DEFAULT_DATABASE_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '.data',
  'tokenlane.db',
);

const integer = (fallback: number, min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min))
    .optional()
    .transform((value) => value ?? fallback);

const secret = z.string().refine((value) => Buffer.byteLength(value) >= MIN_SECRET_BYTES, {
  message: `must be at least ${MIN_SECRET_BYTES} bytes`,
});

/** Every variable the API reads, validated, with its default. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  PORT: integer(4000, 0).pipe(z.number().max(65535)),
  HOST: z.string().min(1).optional().default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).optional().default(DEFAULT_DATABASE_PATH),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  JWT_SECRET: secret.optional(),
  JWT_SECRETS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(secret).min(1, 'must list at least one key'))
    .optional(),
  ACCESS_TOKEN_TTL: integer(900, 1),
  REFRESH_TOKEN_TTL: integer(1_209_600, 1),
  REFRESH_REUSE_GRACE: z
    .union([
      z.literal('unused'),
      z.string().trim().regex(/^\d+$/, "must be a whole number or 'unused'"),
    ])
    .optional()
    .transform((value) =>
      value === undefined || value === 'unused' ? Number.POSITIVE_INFINITY : Number(value),
    ),
  CLOCK_TOLERANCE: integer(60, 0),
  DPOP: z.enum(['off', 'optional', 'required']).optional().default('optional'),
  DPOP_NONCE: z.enum(['on', 'off']).optional().default('off'),
  STEP_UP_MAX_AGE: integer(300, 1),
  METRICS_TOKEN: secret.optional(),
  OTEL: z.enum(['on', 'off']).optional().default('off'),
  CORS_ORIGINS: z
    .string()
    .optional()
    .default('http://localhost:5173,http://127.0.0.1:5173')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url().transform((origin) => new URL(origin).origin))),
  LOGIN_RATE_LIMIT: integer(5, 1),
  LOGIN_IP_RATE_LIMIT: integer(20, 1),
  LOGIN_ACCOUNT_RATE_LIMIT: integer(10, 1),
  REGISTER_RATE_LIMIT: integer(10, 1),
  HASH_CONCURRENCY: integer(3, 1),
  HASH_QUEUE: integer(16, 0),
  HASH_PER_CLIENT: integer(2, 1),
  REQUEST_TIMEOUT: integer(15, 1),
  TODO_QUOTA: integer(1_000, 0),
  TRUST_PROXY: z
    .string()
    .trim()
    .optional()
    .transform((value): boolean | number | string => {
      if (value === undefined || value === 'false') return false;
      if (value === 'true') return true;
      return /^\d+$/.test(value) ? Number(value) : value;
    }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),
});
