import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { buildHttpServer } from './adapters/http/server.js';
import { startSweeper } from './adapters/runtime/sweeper.js';
import { processOwner } from './adapters/runtime/system.js';
import { startReactions } from './application/subscriptions/reactions.js';
import { composeFromConfig, VERSION } from './compose.js';
import type { Config } from './config/config.js';

const PURGE_EVERY_MS = 60_000;

/** Runs the HTTP server until SIGINT or SIGTERM. */
export async function serve(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel, base: { service: 'wokibrain' } });
  const composition = await composeFromConfig(config);
  const { app } = composition;

  let adminSecret = config.adminSecret;
  if (!adminSecret) {
    adminSecret = randomBytes(24).toString('base64url');
    // Logged once so that a developer can use the admin API; production sets ADMIN_SECRET.
    logger.warn({ adminSecret }, 'ADMIN_SECRET is unset: generated a secret for this run');
  }
  if (config.seedDemo) {
    const seeded = await app.seedDemo({ actor: 'system' });
    if (seeded.created.length > 0) logger.info({ created: seeded.created }, 'demo data loaded');
  }

  const server = await buildHttpServer({ app, adminSecret, logger, version: VERSION });
  const sweeper = startSweeper(app, config.sweepMs, logger);
  const reactions = startReactions(composition.deps, composition.store, {
    owner: processOwner(),
    onError: (error) => logger.error({ err: error }, 'reaction to the event log failed; retrying'),
  });
  const purge = setInterval(() => void app.purgeExpiredIdempotencyKeys().catch((error) => logger.error(error)), PURGE_EVERY_MS);
  purge.unref();

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    clearInterval(purge);
    sweeper.stop();
    await server.close();
    await reactions.stop();
    await composition.close();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));

  await server.listen({ port: config.port, host: config.host });
  logger.info({ store: (await app.info()).store }, 'serving');
}
