import type { Interval } from '../time/interval.js';

/**
 * Anything that keeps a table from being seated for an interval. Bookings are one
 * source; every source is turned into blocks, and availability reads only blocks.
 */
export interface SeatBlock extends Interval {
  tableId: string;
  source: { kind: 'booking' | 'blackout'; id: string };
}

export interface SeatTakingBooking extends Interval {
  id: string;
  tableIds: readonly string[];
}

export function blocksOfBookings(bookings: Iterable<SeatTakingBooking>): SeatBlock[] {
  const blocks: SeatBlock[] = [];
  for (const booking of bookings) {
    for (const tableId of booking.tableIds) {
      blocks.push({ tableId, start: booking.start, end: booking.end, source: { kind: 'booking', id: booking.id } });
    }
  }
  return blocks;
}

/** Blocks grouped per table, each list sorted by start so callers need not care about input order. */
export function groupBlocksByTable(blocks: Iterable<SeatBlock>): Map<string, Interval[]> {
  const byTable = new Map<string, Interval[]>();
  for (const block of blocks) {
    let list = byTable.get(block.tableId);
    if (!list) {
      list = [];
      byTable.set(block.tableId, list);
    }
    list.push({ start: block.start, end: block.end });
  }
  for (const list of byTable.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
  return byTable;
}
