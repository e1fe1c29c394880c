import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { WokiBrain } from '../../application/wokiBrain.js';

/**
 * Every `everyMs`, whether or not anyone calls the API: expires lapsed holds, marks
 * no-shows whose grace ran out, then promotes waitlist entries that now fit. Every
 * process may run one: the store lets only one expiry per hold, one no-show per
 * booking and one promotion per entry through.
 *
 * What it reads is bounded by what is due, never by the store's size: the lapsed
 * holds come from an index on (status PENDING, expiry), the due no-shows from one on
 * (status CONFIRMED, due time), at most 100 each a pass, and the
 * waiting entries from an index on (status WAITING, sector); each expiry is one
 * append, which gives the event loop back. It also yields between its phases,
 * so that a probe or a request waiting behind it is answered in between.
 */
export function startSweeper(app: WokiBrain, everyMs: number, logger?: Logger): { stop(): void } {
  let running = false;
  const sweep = async () => {
    const expired = await app.expireHolds();
    if (expired > 0) logger?.info({ expired }, 'holds expired');
    await nextTurn();
    const noShows = await app.markDueNoShows();
    if (noShows > 0) logger?.info({ noShows }, 'no-shows marked');
    await nextTurn();
    const promoted = await app.promoteWaitlists();
    if (promoted > 0) logger?.info({ promoted }, 'waitlist entries booked');
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: unknown) => logger?.error({ err: error }, 'hold sweep failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
