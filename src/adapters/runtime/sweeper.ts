import type { Logger } from 'pino';
import type { WokiBrain } from '../../application/wokiBrain.js';

/**
 * Every `everyMs`, whether or not anyone calls the API: expires lapsed holds, then
 * promotes waitlist entries that now fit. Every process may run one: the store
 * lets only one expiry per hold, and one promotion per entry, through.
 */
export function startSweeper(app: WokiBrain, everyMs: number, logger?: Logger): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    app
      .expireHolds()
      .then(async (expired) => {
        if (expired > 0) logger?.info({ expired }, 'holds expired');
        const promoted = await app.promoteWaitlists();
        if (promoted > 0) logger?.info({ promoted }, 'waitlist entries booked');
      })
      .catch((error: unknown) => logger?.error({ err: error }, 'hold sweep failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
