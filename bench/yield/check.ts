import { overlaps } from '../../src/domain/time/interval.js';
import { localPartsOf } from '../../src/domain/time/zone.js';
import { SLOT_MINUTES } from '../../src/domain/time/localTime.js';
import { ZONE } from './layouts.js';
import type { Booking, Day, Layout, Request, Seating } from './model.js';

const MINUTE_MS = 60_000;

/**
 * Everything wrong with booking `seating` for `request` while `standing` hold
 * their seats; empty when the booking is sound. Checked independently of the
 * strategies: grid, length, one service window, the requested window, tables
 * that exist, Σmin ≤ party ≤ Σmax, and no overlap on any table.
 */
export function violationsOf(layout: Layout, day: Day, request: Request, seating: Seating, standing: readonly Booking[]): string[] {
  const found: string[] = [];
  const where = `${layout.name} ${day.date} ${request.id}`;
  const { start, end, tableIds } = seating;
  if (end - start !== request.durationMinutes * MINUTE_MS) found.push(`${where}: length ${(end - start) / MINUTE_MS} min`);
  if (localPartsOf(ZONE, start).minute % SLOT_MINUTES !== 0) found.push(`${where}: start off the grid`);
  if (!day.service.some((w) => w.start <= start && end <= w.end)) found.push(`${where}: not inside one service window`);
  if (!request.windows.some((w) => w.start <= start && end <= w.end)) found.push(`${where}: outside the requested window`);
  if (tableIds.length === 0 || new Set(tableIds).size !== tableIds.length) found.push(`${where}: bad table list`);
  let sumMin = 0;
  let sumMax = 0;
  for (const id of tableIds) {
    const table = layout.tables.find((t) => t.id === id);
    if (!table) {
      found.push(`${where}: unknown table ${id}`);
      continue;
    }
    sumMin += table.minSize;
    sumMax += table.maxSize;
  }
  if (sumMin > request.partySize || request.partySize > sumMax) {
    found.push(`${where}: party ${request.partySize} on capacity ${sumMin}–${sumMax}`);
  }
  for (const other of standing) {
    if (overlaps(other, seating) && other.tableIds.some((id) => tableIds.includes(id))) {
      found.push(`${where}: overlaps ${other.id} on ${other.tableIds.join('+')}`);
    }
  }
  return found;
}

/** Re-checks a finished day as a whole: no two standing bookings share a table at once. */
export function dayOverlaps(layout: Layout, day: Day, bookings: readonly Booking[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < bookings.length; i++) {
    for (let j = i + 1; j < bookings.length; j++) {
      const a = bookings[i]!;
      const b = bookings[j]!;
      if (overlaps(a, b) && a.tableIds.some((id) => b.tableIds.includes(id))) {
        found.push(`${layout.name} ${day.date}: ${a.id} and ${b.id} overlap at the close`);
      }
    }
  }
  return found;
}
