import { blocksOfBookings } from '../../src/domain/availability/seatBlock.js';
import { discoverSeatings } from '../../src/domain/seating/discoverSeatings.js';
import type { Seating, SeatingQuestion, Strategy } from './model.js';

/** What `create` does: book the first candidate of `discoverSeatings`. */
export function wokiBrainSeating(question: SeatingQuestion): Seating | null {
  const [first] = discoverSeatings({
    zone: question.zone,
    windows: question.request.windows,
    partySize: question.request.partySize,
    durationMinutes: question.request.durationMinutes,
    tables: question.tables,
    blocks: blocksOfBookings(question.bookings),
    limit: 1,
  });
  return first ? { tableIds: [...first.tableIds], start: first.start, end: first.end } : null;
}

export const wokiBrain: Strategy = { name: 'WokiBrain (discover, limit 1)', choose: wokiBrainSeating };
