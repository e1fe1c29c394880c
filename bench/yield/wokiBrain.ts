import { blocksOfBookings } from '../../src/domain/availability/seatBlock.js';
import type { StartPreference } from '../../src/domain/seating/candidateOrder.js';
import { discoverSeatings } from '../../src/domain/seating/discoverSeatings.js';
import type { Seating, SeatingQuestion, Strategy } from './model.js';

/** What `create` does: book the first candidate of `discoverSeatings`. */
export function wokiBrainSeating(question: SeatingQuestion, prefer: StartPreference = 'flush'): Seating | null {
  const [first] = discoverSeatings({
    zone: question.zone,
    windows: question.request.windows,
    service: question.service,
    prefer,
    partySize: question.request.partySize,
    durationMinutes: question.request.durationMinutes,
    tables: question.tables,
    blocks: blocksOfBookings(question.bookings),
    limit: 1,
  });
  return first ? { tableIds: [...first.tableIds], start: first.start, end: first.end } : null;
}

/** The simulated guests give a window with both ends, so `create` ranks flush stays first. */
export const wokiBrain: Strategy = { name: 'WokiBrain (create)', choose: (question) => wokiBrainSeating(question) };

/** The same engine ranking earliest start first, as for a guest who leaves the window open. */
export const wokiBrainEarliest: Strategy = {
  name: 'WokiBrain, earliest first',
  choose: (question) => wokiBrainSeating(question, 'earliest'),
};
