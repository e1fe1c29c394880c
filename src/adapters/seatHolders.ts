import { BLACKOUT_HOLDER_PREFIX } from '../application/ports/eventStore.js';
import type { SeatBlock } from '../domain/availability/seatBlock.js';

/** Seat rows name their holder: a booking id, or `blackout:<id>`. */
export function sourceOfHolder(holder: string): SeatBlock['source'] {
  return holder.startsWith(BLACKOUT_HOLDER_PREFIX)
    ? { kind: 'blackout', id: holder.slice(BLACKOUT_HOLDER_PREFIX.length) }
    : { kind: 'booking', id: holder };
}
