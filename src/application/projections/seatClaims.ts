import { overlaps, type Interval } from '../../domain/time/interval.js';
import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import { SeatConflict } from '../ports/eventStore.js';

/** Seats one booking (holder = its id) or blackout (holder = `blackout:<id>`) takes. */
export interface SeatClaim extends Interval {
  holder: string;
  sectorId: string;
  tableIds: readonly string[];
}

/** What an append leaves a holder with: its claim, or `null` when it no longer takes seats. */
export interface SeatChange {
  holder: string;
  claim: SeatClaim | null;
}

/** A seat row some store holds: who has which table, when. */
export interface HeldSeat extends Interval {
  holder: string;
  tableId: string;
}

/** Seat rows name their holder: a booking id, or `blackout:<id>`. */
const BLACKOUT_HOLDER_PREFIX = 'blackout:';

export const holderOfBlackout = (blackoutId: string) => BLACKOUT_HOLDER_PREFIX + blackoutId;

/** What a seat row's holder is, as the read model reports it. */
export function sourceOfHolder(holder: string): SeatBlock['source'] {
  return holder.startsWith(BLACKOUT_HOLDER_PREFIX)
    ? { kind: 'blackout', id: holder.slice(BLACKOUT_HOLDER_PREFIX.length) }
    : { kind: 'booking', id: holder };
}

/**
 * The store's own constraint refused this claim, one of the batch's `changes`;
 * turned into a `SeatConflict` once the holder in the way is named.
 */
export class RefusedSeats extends Error {
  constructor(
    readonly claim: SeatClaim,
    readonly changes: readonly SeatChange[],
  ) {
    super(`seats refused for ${claim.holder}`);
    this.name = 'RefusedSeats';
  }
}

/**
 * Names what stands in the way of `refused`: a seat the store holds for someone
 * this append did not change, or a claim made earlier in this same append. `held`
 * are the store's seat rows on the claim's tables that overlap it.
 */
export function nameSeatConflict(refused: SeatClaim, changes: readonly SeatChange[], held: readonly HeldSeat[]): SeatConflict {
  const changed = new Set(changes.map((change) => change.holder));
  const earlier = changes
    .slice(
      0,
      changes.findIndex((change) => change.holder === refused.holder),
    )
    .flatMap((change) => (change.claim ? [change.claim] : []));
  for (const tableId of refused.tableIds) {
    const seat = held.find(
      (row) => row.tableId === tableId && !changed.has(row.holder) && row.holder !== refused.holder && overlaps(row, refused),
    );
    if (seat) return new SeatConflict(tableId, seat.holder);
    const claim = earlier.find((other) => other.tableIds.includes(tableId) && overlaps(other, refused));
    if (claim) return new SeatConflict(tableId, claim.holder);
  }
  // The holder in the way was released between the refusal and this look-up: name the table at least.
  return new SeatConflict(refused.tableIds[0] ?? 'unknown', 'unknown');
}
