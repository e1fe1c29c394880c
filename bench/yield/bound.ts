import { SLOT_MINUTES } from '../../src/domain/time/localTime.js';
import { seatsOf } from './layouts.js';
import type { Day, Layout } from './model.js';

const SLOT_MS = SLOT_MINUTES * 60_000;

/**
 * A true upper bound on the seat-minutes (Σ party × duration) any strategy can
 * hold at the close, online or offline. Only requests that do not cancel can be
 * standing at the close, and only those that fit the room at all. Per service
 * window it is the smaller of
 *   - their whole demand, Σ party × duration, and
 *   - Σ over 15-minute slots of min(seats in the room, Σ party of the requests
 *     whose requested window covers the slot) × 15:
 * a booking holds a slot only inside its requested window, and never more
 * guests sit at once than the room has seats.
 */
export function seatMinuteBound(layout: Layout, day: Day): number {
  const seats = seatsOf(layout);
  const live = day.requests.filter((r) => !r.cancels && r.partySize <= seats);
  let bound = 0;
  day.service.forEach((window, index) => {
    const mine = live.filter((r) => r.serviceIndex === index);
    const demand = mine.reduce((sum, r) => sum + r.partySize * r.durationMinutes, 0);
    let held = 0;
    for (let t = window.start; t < window.end; t += SLOT_MS) {
      let wanting = 0;
      for (const r of mine) {
        if (r.windows.some((w) => w.start <= t && t + SLOT_MS <= w.end)) wanting += r.partySize;
      }
      held += Math.min(seats, wanting) * SLOT_MINUTES;
    }
    bound += Math.min(demand, held);
  });
  return bound;
}
