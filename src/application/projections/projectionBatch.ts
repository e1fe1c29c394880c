import { blocksSeats, blackoutIdOf, evolveBlackout, isBlackoutEvent, type Blackout } from '../../domain/blackouts/blackout.js';
import { occupancyOf, type Booking } from '../../domain/bookings/booking.js';
import { bookingIdOf, evolveBooking, isBookingEvent, isBookingOpened } from '../../domain/bookings/bookingEvents.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import { entryIdOf, evolveEntry, isWaitlistEvent, type WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import type { Interval } from '../../domain/time/interval.js';
import type { DomainEvent, StoredEvent } from '../ports/eventStore.js';
import { holderOfBlackout, type SeatChange, type SeatClaim } from './seatClaims.js';

/** A projected row an event evolves: the store loads it before the event is added. */
export type Subject = { kind: 'booking'; id: string } | { kind: 'blackout'; id: string } | { kind: 'waitlistEntry'; id: string };

type Evolving = { booking: Booking; blackout: Blackout; waitlistEntry: WaitlistEntry };

/** A row to upsert, at the version of its own stream after the batch. */
export type ProjectedRow =
  | { kind: 'restaurant'; value: Restaurant; version: number }
  | { kind: 'sector'; value: Sector; version: number }
  | { kind: 'table'; value: Table; version: number }
  | { kind: 'booking'; value: Booking; version: number }
  | { kind: 'blackout'; value: Blackout; version: number }
  | { kind: 'waitlistEntry'; value: WaitlistEntry; version: number };

/** The one place events become projection writes; every store only carries the writes out. */
function subjectOf(event: DomainEvent): Subject | null {
  if (isBookingEvent(event)) return { kind: 'booking', id: bookingIdOf(event) };
  if (isBlackoutEvent(event)) return { kind: 'blackout', id: blackoutIdOf(event) };
  if (isWaitlistEvent(event)) return { kind: 'waitlistEntry', id: entryIdOf(event) };
  return null;
}

const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;

/** The seats `owner` keeps over `interval` (its occupancy), or none. */
function claimOf(holder: string, owner: Booking | Blackout, interval: Interval | null): SeatClaim | null {
  return interval && { holder, sectorId: owner.sectorId, tableIds: [...owner.tableIds], start: interval.start, end: interval.end };
}

/**
 * Folds a run of stored events (one append, an import, a replay) into what the
 * projections must become: the last state of each row it touched, the seats each
 * holder ends up with, and the sectors whose availability changed. Seats are
 * judged as the whole batch leaves them, so an append may swap tables (repack) or
 * free seats and take them again.
 *
 * A store drives it: for each event, `needs` names the row to load (unless the
 * batch already holds it), then `add` folds the event in.
 */
export class ProjectionBatch {
  private readonly rows = new Map<string, ProjectedRow>();
  private readonly seats = new Map<string, SeatClaim | null>();
  private readonly sectors = new Set<string>();

  /** The row this event evolves when the store must load it; `null` when nothing needs loading. */
  needs(stored: StoredEvent): Subject | null {
    const event = stored as DomainEvent;
    // Events that carry their whole row: nothing needs loading before them.
    if (isBookingOpened(event) || event.type === 'BlackoutPlaced' || event.type === 'WaitlistJoined') return null;
    const subject = subjectOf(event);
    return subject && !this.rows.has(keyOf(subject.kind, subject.id)) ? subject : null;
  }

  /** Folds one event in; `loaded` is the row `needs` asked for, as the store holds it (or null). */
  add(stored: StoredEvent, loaded: Booking | Blackout | WaitlistEntry | null = null): void {
    const event = { type: stored.type, data: structuredClone(stored.data) } as DomainEvent;
    const version = stored.version;
    if (isBookingEvent(event)) {
      const next = evolveBooking(this.current('booking', bookingIdOf(event), loaded), event);
      if (!next) return;
      this.put({ kind: 'booking', value: next, version });
      this.hold(next.id, next.sectorId, claimOf(next.id, next, occupancyOf(next)));
      return;
    }
    if (isBlackoutEvent(event)) {
      const next = evolveBlackout(this.current('blackout', blackoutIdOf(event), loaded), event);
      if (!next) return;
      this.put({ kind: 'blackout', value: next, version });
      const holder = holderOfBlackout(next.id);
      this.hold(holder, next.sectorId, claimOf(holder, next, blocksSeats(next) ? next : null));
      return;
    }
    if (isWaitlistEvent(event)) {
      const next = evolveEntry(this.current('waitlistEntry', entryIdOf(event), loaded), event);
      if (next) this.put({ kind: 'waitlistEntry', value: next, version });
      return;
    }
    switch (event.type) {
      case 'RestaurantRegistered':
        return this.put({ kind: 'restaurant', value: event.data.restaurant, version });
      case 'SectorAdded':
        return this.put({ kind: 'sector', value: event.data.sector, version });
      case 'TableAdded':
        this.put({ kind: 'table', value: event.data.table, version });
        this.sectors.add(event.data.table.sectorId);
        return;
      // Settings events carry the whole entity; the sectors they change move their revision, so cached answers retire.
      case 'RestaurantUpdated':
        this.put({ kind: 'restaurant', value: event.data.restaurant, version });
        for (const sectorId of event.data.sectorIds) this.sectors.add(sectorId);
        return;
      case 'SectorUpdated':
        this.put({ kind: 'sector', value: event.data.sector, version });
        this.sectors.add(event.data.sector.id);
        return;
      case 'TableUpdated':
        this.put({ kind: 'table', value: event.data.table, version });
        this.sectors.add(event.data.table.sectorId);
        return;
      default:
        // An event type this version does not know changes no projection.
        return;
    }
  }

  /** The rows to upsert, each once, in the order first touched; empties them from the batch. */
  takeRows(): ProjectedRow[] {
    const rows = [...this.rows.values()];
    this.rows.clear();
    return rows;
  }

  /** Every holder whose seats changed, with its final claim, in the order first changed; empties them. */
  takeSeatChanges(): SeatChange[] {
    const changes = [...this.seats].map(([holder, claim]) => ({ holder, claim }));
    this.seats.clear();
    return changes;
  }

  /** Sectors whose availability changed: their revision must move; empties them. */
  takeChangedSectors(): string[] {
    const sectors = [...this.sectors];
    this.sectors.clear();
    return sectors;
  }

  private current<K extends keyof Evolving>(kind: K, id: string, loaded: Evolving[keyof Evolving] | null): Evolving[K] | null {
    const staged = this.rows.get(keyOf(kind, id));
    return (staged ? staged.value : loaded) as Evolving[K] | null;
  }

  private put(row: ProjectedRow): void {
    this.rows.set(keyOf(row.kind, row.value.id), row);
  }

  private hold(holder: string, sectorId: string, claim: SeatClaim | null): void {
    this.seats.set(holder, claim);
    this.sectors.add(sectorId);
  }
}

type Loadable = Booking | Blackout | WaitlistEntry | null;

/** Folds events into the batch, loading rows synchronously (SQLite, memory). */
export function foldEvents(batch: ProjectionBatch, events: readonly StoredEvent[], load: (subject: Subject) => Loadable): void {
  for (const event of events) {
    const subject = batch.needs(event);
    batch.add(event, subject ? load(subject) : null);
  }
}

/** Folds events into the batch, loading rows from a database connection (PostgreSQL). */
export async function foldEventsAsync(
  batch: ProjectionBatch,
  events: readonly StoredEvent[],
  load: (subject: Subject) => Promise<Loadable>,
): Promise<void> {
  for (const event of events) {
    const subject = batch.needs(event);
    batch.add(event, subject ? await load(subject) : null);
  }
}
