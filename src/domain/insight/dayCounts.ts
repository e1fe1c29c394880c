import type { Booking } from '../bookings/booking.js';
import type { WaitlistEntry } from '../waitlist/waitlistEntry.js';

/** Parties, and their covers (Σ party size), in each outcome of the day. */
interface Tally {
  /** Bookings made for the day, not walk-ins, whatever became of them (cancelled, rejected and expired holds included). */
  booked: number;
  /** Of those, cancelled by anyone: the guest, a rejected hold, an expired hold. */
  cancelled: number;
  /** Of those, marked NO_SHOW. */
  noShows: number;
  /** SEATED or FINISHED, walk-ins included. */
  seated: number;
  /** Walk-ins (`source: walk_in`) not cancelled: a cancelled walk-in is the host taking back a mistake. */
  walkedIn: number;
}

export interface DayCounts {
  parties: Tally;
  covers: Tally;
  rates: {
    /** NO_SHOW over the bookings due to arrive: booked and not cancelled (walk-ins are never due); null with none. */
    noShow: number | null;
    /** Cancelled over booked; null with none booked. */
    cancellation: number | null;
  };
}

const isWalkIn = (booking: Booking) => booking.source === 'walk_in';

/** Which tallies a booking adds to. */
function outcomesOf(booking: Booking): (keyof Tally)[] {
  const outcomes: (keyof Tally)[] = [];
  if (isWalkIn(booking)) {
    if (booking.status !== 'CANCELLED') outcomes.push('walkedIn');
  } else {
    outcomes.push('booked');
    if (booking.status === 'CANCELLED') outcomes.push('cancelled');
    if (booking.status === 'NO_SHOW') outcomes.push('noShows');
  }
  if (booking.status === 'SEATED' || booking.status === 'FINISHED') outcomes.push('seated');
  return outcomes;
}

const emptyTally = (): Tally => ({ booked: 0, cancelled: 0, noShows: 0, seated: 0, walkedIn: 0 });

/** Rates are shares from 0 to 1, to four decimals. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

export function countDay(bookings: readonly Booking[]): DayCounts {
  const parties = emptyTally();
  const covers = emptyTally();
  for (const booking of bookings) {
    for (const outcome of outcomesOf(booking)) {
      parties[outcome]++;
      covers[outcome] += booking.partySize;
    }
  }
  return {
    parties,
    covers,
    rates: {
      noShow: share(parties.noShows, parties.booked - parties.cancelled),
      cancellation: share(parties.cancelled, parties.booked),
    },
  };
}

export interface WaitlistTally {
  /** Entries that joined for the day. */
  joined: number;
  /** Of those, booked by a promotion (`BOOKED`). */
  promoted: number;
  /** Of those, that left the list without a table. */
  left: number;
  /** Of those, still waiting. */
  waiting: number;
}

export function countWaitlist(entries: readonly WaitlistEntry[]): WaitlistTally {
  return {
    joined: entries.length,
    promoted: entries.filter((entry) => entry.status === 'BOOKED').length,
    left: entries.filter((entry) => entry.status === 'LEFT').length,
    waiting: entries.filter((entry) => entry.status === 'WAITING').length,
  };
}
