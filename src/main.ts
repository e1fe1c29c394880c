import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { buildHttpServer } from './adapters/http/server.js';
import { composeInMemory, VERSION } from './compose.js';
import { loadConfig } from './config/config.js';

const PURGE_EVERY_MS = 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'wokibrain' } });
  const { app } = composeInMemory({ idempotencyRetentionMs: config.idempotencyRetentionMs });

  let adminSecret = config.adminSecret;
  if (!adminSecret) {
    adminSecret = randomBytes(24).toString('base64url');
    // Logged once so that a developer can use the admin API; production sets ADMIN_SECRET.
    logger.warn({ adminSecret }, 'ADMIN_SECRET is unset: generated a secret for this run');
  }
  if (config.seedDemo) {
    const seeded = await app.seedDemo({ actor: 'system' });
    logger.info({ created: seeded.created.length }, 'demo data loaded');
  }

  const server = await buildHttpServer({ app, adminSecret, logger, version: VERSION });
  const purge = setInterval(() => void app.purgeExpiredIdempotencyKeys(), PURGE_EVERY_MS);
  purge.unref();

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    clearInterval(purge);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));

  await server.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
