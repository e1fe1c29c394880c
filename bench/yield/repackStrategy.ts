import { repackDay } from '../../src/domain/seating/repack.js';
import type { Booking, RepackQuestion, RepackMove, Strategy } from './model.js';
import { wokiBrainSeating } from './wokiBrain.js';

export const repackStats = { runs: 0, moved: 0, pinned: 0 };

/** Re-seats the standing bookings on other tables (times never move), as `repackDay` proposes. */
function repackStanding(question: RepackQuestion): RepackMove[] {
  repackStats.runs++;
  const result = repackDay({
    tables: question.tables,
    bookings: question.bookings.map((b: Booking) => ({
      id: b.id,
      partySize: b.partySize,
      start: b.start,
      end: b.end,
      tableIds: b.tableIds,
    })),
    windows: question.service,
  });
  repackStats.moved += result.assignments.length;
  repackStats.pinned += result.pinnedBookingIds.length;
  return result.assignments.map((a) => ({ bookingId: a.bookingId, tableIds: [...a.to] }));
}

/** WokiBrain; when nothing fits, repack the day's standing bookings and ask WokiBrain once more. */
export const wokiBrainRepack: Strategy = {
  name: 'WokiBrain + repack on refusal',
  choose: wokiBrainSeating,
  repack: repackStanding,
};
