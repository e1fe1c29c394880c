import { z } from 'zod';

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const environment = z.object({
  PORT: z.coerce.number<string>().pipe(z.int().min(0).max(65535)).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ADMIN_SECRET: z.string().min(12, { message: 'must be at least 12 characters' }).optional(),
  LOG_LEVEL: z.enum(levels).default('info'),
  IDEMPOTENCY_RETENTION_SECONDS: z.coerce
    .number<string>()
    .pipe(z.int().min(60, { message: 'must be at least 60 seconds' }))
    .default(86_400),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
});

export interface Config {
  port: number;
  host: string;
  /** Undefined when ADMIN_SECRET is unset: the server then makes one up and logs it once. */
  adminSecret: string | undefined;
  logLevel: (typeof levels)[number];
  idempotencyRetentionMs: number;
  seedDemo: boolean;
}

/** Reads the configuration from the environment; a bad value stops the start with its reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${reasons}`);
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    adminSecret: values.ADMIN_SECRET,
    logLevel: values.LOG_LEVEL,
    idempotencyRetentionMs: values.IDEMPOTENCY_RETENTION_SECONDS * 1000,
    seedDemo: values.SEED_DEMO === 'true',
  };
}
