import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import type { Booking } from '../../domain/bookings/booking.js';
import { guestBriefs } from './guests.js';
import { formatInstant } from '../../domain/time/zone.js';
import type { FloorQuery, FloorView, TableStateView } from '../contracts/floor.js';
import type { Dependencies } from '../dependencies.js';
import { requireSectorOf } from '../lookups.js';

const MINUTE_MS = 60_000;
/** A table whose next booking starts within this long is `booked_soon`: the host should not give it to a walk-in for long. */
const BOOKED_SOON_MINUTES = 30;
/** How far ahead the view looks for each table's next booking or blackout. */
const LOOK_AHEAD_MS = 12 * 60 * MINUTE_MS;

/**
 * Each table of the sector at one instant (now by default): free, booked soon,
 * awaiting its party, seated (since when, until when) or blacked out. Read from
 * the seat rows that hold the tables around that instant, so a finished party or
 * a no-show no longer holds its table from the moment it was marked.
 */
export async function floorView(deps: Dependencies, query: FloorQuery): Promise<FloorView> {
  const { restaurant, sector } = await requireSectorOf(deps.reads, query.restaurantId, query.sectorId);
  const at = query.at === undefined ? deps.clock.now() : Date.parse(query.at);
  const zone = restaurant.timezone;
  const [tables, blocks] = await Promise.all([
    deps.reads.tablesOfSector(sector.id),
    deps.reads.seatBlocks(sector.id, { start: at, end: at + LOOK_AHEAD_MS }),
  ]);
  const byTable = new Map<string, SeatBlock[]>();
  for (const block of blocks) {
    const own = byTable.get(block.tableId);
    if (own) own.push(block);
    else byTable.set(block.tableId, [block]);
  }
  const bookings = await bookingsHolding(deps, blocks, at);
  const guests = await guestBriefs(
    deps,
    [...bookings.values()].flatMap((booking) => (booking.guestId ? [booking.guestId] : [])),
  );
  const guestOf = (bookingId: string) => {
    const guestId = bookings.get(bookingId)?.guestId;
    const brief = guestId === undefined ? undefined : guests.get(guestId);
    return brief ? { guest: brief } : {};
  };
  const show = (instant: number) => formatInstant(zone, instant);

  const states = [...tables]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((table): TableStateView => {
      const base = { tableId: table.id, name: table.name, minSize: table.minSize, maxSize: table.maxSize };
      const own = (byTable.get(table.id) ?? []).sort((a, b) => a.start - b.start);
      const current = own.find((block) => block.start <= at && at < block.end);
      const next = own.find((block) => block.start > at);
      const nextAt = next ? { nextAt: show(next.start) } : {};
      if (current?.source.kind === 'blackout') {
        return {
          ...base,
          state: 'blacked_out',
          blackoutId: current.source.id,
          since: show(current.start),
          until: show(current.end),
          ...nextAt,
        };
      }
      const booking = current && bookings.get(current.source.id);
      if (current && booking) {
        const seated = booking.seatedAt !== undefined && booking.seatedAt <= at;
        return {
          ...base,
          state: seated ? 'seated' : 'awaiting',
          bookingId: booking.id,
          partySize: booking.partySize,
          since: show(seated ? booking.seatedAt! : booking.start),
          until: show(current.end),
          ...guestOf(booking.id),
          ...nextAt,
        };
      }
      if (next && next.start - at <= BOOKED_SOON_MINUTES * MINUTE_MS) {
        const coming = next.source.kind === 'booking' ? { bookingId: next.source.id, ...guestOf(next.source.id) } : {};
        return { ...base, state: 'booked_soon', ...coming, ...nextAt };
      }
      return { ...base, state: 'free', ...nextAt };
    });
  return { restaurantId: restaurant.id, sectorId: sector.id, at: show(at), tables: states };
}

/** The bookings whose seats hold a table at `at` or soon after: the parties the host is about to seat or has seated. */
async function bookingsHolding(deps: Dependencies, blocks: readonly SeatBlock[], at: number): Promise<Map<string, Booking>> {
  const soon = at + BOOKED_SOON_MINUTES * MINUTE_MS;
  const ids = new Set(
    blocks.filter((block) => block.source.kind === 'booking' && block.start <= soon && at < block.end).map((b) => b.source.id),
  );
  const found = await Promise.all([...ids].map((id) => deps.reads.booking(id)));
  return new Map(found.flatMap((row) => (row ? [[row.value.id, row.value] as const] : [])));
}
