import { pino } from 'pino';
import { createCredentials } from './adapters/auth/credentials.js';
import { loadLocalSecrets, type LocalSecrets } from './adapters/auth/localSecrets.js';
import { buildHttpServer } from './adapters/http/server.js';
import type { Dependencies } from './application/dependencies.js';
import type { WokiBrain } from './application/wokiBrain.js';
import { startSweeper } from './adapters/runtime/sweeper.js';
import { processOwner } from './adapters/runtime/system.js';
import { startReactions } from './application/subscriptions/reactions.js';
import { composeFromConfig, VERSION } from './compose.js';
import type { Config } from './config/config.js';

const PURGE_EVERY_MS = 60_000;

/** Runs the HTTP server until SIGINT or SIGTERM. */
export async function serve(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel, base: { service: 'wokibrain' } });
  const secrets = await loadLocalSecrets(config.dataDir, config);
  if (secrets.generated)
    logger.warn({ file: secrets.file }, 'generated the admin secret or the token signing key; they are kept in this file (mode 0600)');
  const credentials = createCredentials({ signingKey: secrets.signingKey, adminSecret: secrets.adminSecret });
  const composition = await composeFromConfig(config, { logger, credentials });
  const { app } = composition;

  if (config.seedDemo) {
    const seeded = await app.seedDemo({ actor: 'system' });
    if (seeded.created.length > 0) logger.info({ created: seeded.created }, 'demo data loaded');
    if (await ensureDemoOwner(composition, secrets))
      logger.info({ file: secrets.file }, 'demo owner created; its credentials are in this file');
  }

  const server = await buildHttpServer({
    app,
    logger,
    version: VERSION,
    protection: config,
    store: composition.store,
    checks: composition.checks,
  });
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

const DEMO_OWNER = { email: 'owner@bistro-central.example', name: 'Demo owner' };

/** The demo restaurant's owner, so that a newcomer has a login; its password goes beside the admin secret. */
async function ensureDemoOwner({ app, deps }: { app: WokiBrain; deps: Dependencies }, secrets: LocalSecrets): Promise<boolean> {
  if (await deps.access.userByEmail(DEMO_OWNER.email)) return false;
  const password = deps.credentials.newSecret('demo').slice(0, 24);
  const user = await app.createUser({ ...DEMO_OWNER, password, admin: false });
  await app.addMember('R1', { userId: user.id, role: 'owner' });
  await secrets.saveDemoOwner({ email: DEMO_OWNER.email, password });
  return true;
}
