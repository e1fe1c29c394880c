import type { Logger } from 'pino';
import type { WokiBrain } from '../../application/wokiBrain.js';

/**
 * Expires lapsed holds every `everyMs`, whether or not anyone calls the API. Every
 * process may run one: the store lets only one expiry per hold through.
 */
export function startHoldSweeper(app: WokiBrain, everyMs: number, logger?: Logger): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    app
      .expireHolds()
      .then((expired) => {
        if (expired > 0) logger?.info({ expired }, 'holds expired');
      })
      .catch((error: unknown) => logger?.error({ err: error }, 'hold sweep failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
