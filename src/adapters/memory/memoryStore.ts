import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import { blackoutIdOf, blocksSeats, evolveBlackout, isBlackoutEvent, type Blackout } from '../../domain/blackouts/blackout.js';
import type { Booking } from '../../domain/bookings/booking.js';
import { entryIdOf, evolveEntry, isWaitlistEvent, type WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import { takesSeats } from '../../domain/bookings/booking.js';
import { bookingIdOf, evolveBooking, isBookingEvent } from '../../domain/bookings/bookingEvents.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import { overlaps, type Interval } from '../../domain/time/interval.js';
import {
  BLACKOUT_HOLDER_PREFIX,
  SeatConflict,
  streams,
  type DomainEvent,
  type EventLogMaintenance,
  type EventMetadata,
  type EventStore,
  type PendingEvent,
  type StoredEvent,
} from '../../application/ports/eventStore.js';
import type { ClaimRequest, ClaimResult, IdempotencyStore, StoredResponse } from '../../application/ports/idempotencyStore.js';
import type { ReadModel, Versioned } from '../../application/ports/readModel.js';
import { sourceOfHolder } from '../seatHolders.js';
import { nextVersions } from '../streamVersions.js';

interface IdempotencyRecord {
  payloadHash: string;
  response: StoredResponse | null;
  expiresAt: number;
  leaseUntil: number;
}

/**
 * Event log and projections in one process's memory: nothing survives a restart.
 * It keeps the same rules as the durable stores — versions, and no overlapping
 * seat-taking bookings on a table — so the application cannot tell them apart.
 */
export class MemoryStore implements EventStore, EventLogMaintenance, ReadModel, IdempotencyStore {
  private readonly log: StoredEvent[] = [];
  private readonly versions = new Map<string, number>();
  private readonly restaurants = new Map<string, Restaurant>();
  private readonly sectors = new Map<string, Sector>();
  private readonly tables = new Map<string, Table>();
  private readonly bookings = new Map<string, Booking>();
  private readonly tablesBySector = new Map<string, Set<string>>();
  private readonly bookingsBySector = new Map<string, Set<string>>();
  private readonly blackouts = new Map<string, Blackout>();
  private readonly waitlist = new Map<string, WaitlistEntry>();
  /** Who holds which seats: seat-taking bookings and active blackouts alike. */
  private readonly claims = new Map<string, SeatClaim>();
  private readonly claimsByTable = new Map<string, Set<string>>();
  private readonly claimsBySector = new Map<string, Set<string>>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  /** Never reset, not even by a rebuild, so that no cached answer outlives a change. */
  private readonly revisions = new Map<string, number>();

  async append(pending: readonly PendingEvent[], metadata: EventMetadata, recordedAt: number): Promise<StoredEvent[]> {
    this.checkVersions(pending);
    this.checkSeats(pending.map((entry) => entry.event));
    const stored: StoredEvent[] = [];
    for (const { stream, event } of pending) {
      const version = (this.versions.get(stream) ?? 0) + 1;
      this.versions.set(stream, version);
      const entry: StoredEvent = {
        position: (this.log.at(-1)?.position ?? 0) + 1,
        stream,
        version,
        type: event.type,
        data: structuredClone(event.data),
        metadata: { ...metadata },
        recordedAt,
      };
      this.log.push(entry);
      this.project(entry);
      stored.push(entry);
    }
    return stored;
  }

  async readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    return this.log
      .filter((entry) => entry.position > afterPosition)
      .slice(0, limit)
      .map((entry) => structuredClone(entry));
  }

  /** Like the databases: all or nothing, positions only forward, seats judged as the batch leaves them. */
  async importEvents(events: readonly StoredEvent[]): Promise<void> {
    let previous = this.log.at(-1)?.position ?? 0;
    for (const { position } of events) {
      if (!Number.isSafeInteger(position) || position <= previous) {
        throw new Error(`cannot import event at position ${position}: the log already reaches ${previous}`);
      }
      previous = position;
    }
    this.checkSeats(events.map(({ type, data }) => ({ type, data }) as DomainEvent));
    for (const event of events) {
      const entry = structuredClone(event);
      this.log.push(entry);
      this.versions.set(entry.stream, entry.version);
      this.project(entry);
    }
  }

  async rebuildProjections(): Promise<void> {
    for (const index of [
      this.restaurants,
      this.sectors,
      this.tables,
      this.tablesBySector,
      this.bookings,
      this.bookingsBySector,
      this.blackouts,
      this.waitlist,
      this.claims,
      this.claimsByTable,
      this.claimsBySector,
    ]) {
      index.clear();
    }
    for (const entry of this.log) this.project(entry);
  }

  async close(): Promise<void> {}

  async readStream(stream: string): Promise<StoredEvent[]> {
    return this.log.filter((entry) => entry.stream === stream).map((entry) => structuredClone(entry));
  }

  private checkVersions(pending: readonly PendingEvent[]): void {
    nextVersions(pending, (stream) => this.versions.get(stream) ?? 0);
  }

  /**
   * The store's own refusal of double booking, whatever the caller checked before.
   * Like a deferred constraint it judges the seats as the whole append leaves them:
   * a cancel in the same append frees seats, and repack may swap tables.
   */
  private checkSeats(events: readonly DomainEvent[]): void {
    const changed = new Map<string, SeatClaim | null>();
    const states = new Map<string, Booking | Blackout | null>();
    for (const event of events) {
      const change = this.seatChange(event, states);
      if (change) changed.set(change.holder, change.claim);
    }
    const finals = [...changed.values()].filter((claim): claim is SeatClaim => claim !== null);
    for (const [index, claim] of finals.entries()) {
      for (const tableId of claim.tableIds) {
        const clash =
          [...(this.claimsByTable.get(tableId) ?? [])]
            .filter((holder) => !changed.has(holder))
            .map((holder) => this.claims.get(holder)!)
            .find((other) => overlaps(other, claim)) ??
          // Pairs are symmetric: checking against earlier claims finds each once, naming the earlier one.
          finals.slice(0, index).find((other) => other.tableIds.includes(tableId) && overlaps(other, claim));
        if (clash) throw new SeatConflict(tableId, clash.holder);
      }
    }
  }

  /** What an event does to the seats its booking or blackout holds, given the batch so far. */
  private seatChange(
    event: DomainEvent,
    states: Map<string, Booking | Blackout | null>,
  ): { holder: string; claim: SeatClaim | null } | null {
    if (isBookingEvent(event)) {
      const id = bookingIdOf(event);
      const next = evolveBooking(((states.has(id) ? states.get(id) : this.bookings.get(id)) as Booking | null) ?? null, event);
      states.set(id, next);
      return { holder: id, claim: next && takesSeats(next.status) ? claimOf(id, next) : null };
    }
    if (isBlackoutEvent(event)) {
      const holder = BLACKOUT_HOLDER_PREFIX + blackoutIdOf(event);
      const next = evolveBlackout(
        ((states.has(holder) ? states.get(holder) : this.blackouts.get(blackoutIdOf(event))) as Blackout | null) ?? null,
        event,
      );
      states.set(holder, next);
      return { holder, claim: next && blocksSeats(next) ? claimOf(holder, next) : null };
    }
    return null;
  }

  /** Makes the seat claims follow the booking or blackout an event changed. */
  private holdSeats(holder: string, claim: SeatClaim | null): void {
    const previous = this.claims.get(holder);
    if (previous) {
      for (const tableId of previous.tableIds) this.claimsByTable.get(tableId)?.delete(holder);
      this.claimsBySector.get(previous.sectorId)?.delete(holder);
      this.claims.delete(holder);
    }
    if (!claim) return;
    this.claims.set(holder, claim);
    for (const tableId of claim.tableIds) addTo(this.claimsByTable, tableId, holder);
    addTo(this.claimsBySector, claim.sectorId, holder);
  }

  private project(entry: StoredEvent): void {
    const event = { type: entry.type, data: structuredClone(entry.data) } as DomainEvent;
    if (isBookingEvent(event)) {
      const next = evolveBooking(this.bookings.get(bookingIdOf(event)) ?? null, event);
      if (!next) return;
      this.bookings.set(next.id, next);
      addTo(this.bookingsBySector, next.sectorId, next.id);
      this.holdSeats(next.id, takesSeats(next.status) ? claimOf(next.id, next) : null);
      this.bump(next.sectorId);
      return;
    }
    if (isWaitlistEvent(event)) {
      const next = evolveEntry(this.waitlist.get(entryIdOf(event)) ?? null, event);
      if (next) this.waitlist.set(next.id, next);
      return;
    }
    if (isBlackoutEvent(event)) {
      const next = evolveBlackout(this.blackouts.get(blackoutIdOf(event)) ?? null, event);
      if (!next) return;
      this.blackouts.set(next.id, next);
      const holder = BLACKOUT_HOLDER_PREFIX + next.id;
      this.holdSeats(holder, blocksSeats(next) ? claimOf(holder, next) : null);
      this.bump(next.sectorId);
      return;
    }
    switch (event.type) {
      case 'RestaurantRegistered':
        this.restaurants.set(event.data.restaurant.id, event.data.restaurant);
        return;
      case 'SectorAdded':
        this.sectors.set(event.data.sector.id, event.data.sector);
        return;
      case 'TableAdded':
        this.tables.set(event.data.table.id, event.data.table);
        addTo(this.tablesBySector, event.data.table.sectorId, event.data.table.id);
        this.bump(event.data.table.sectorId);
        return;
    }
  }

  async restaurant(id: string): Promise<Restaurant | null> {
    return copy(this.restaurants.get(id));
  }

  async sector(id: string): Promise<Sector | null> {
    return copy(this.sectors.get(id));
  }

  async table(id: string): Promise<Table | null> {
    return copy(this.tables.get(id));
  }

  async tablesOfSector(sectorId: string): Promise<Table[]> {
    return [...(this.tablesBySector.get(sectorId) ?? [])].map((id) => ({ ...this.tables.get(id)! }));
  }

  async booking(id: string): Promise<Versioned<Booking> | null> {
    const booking = this.bookings.get(id);
    if (!booking) return null;
    return { value: structuredClone(booking), version: this.versions.get(`booking-${id}`) ?? 0 };
  }

  async bookingsOfDay(restaurantId: string, sectorId: string, date: string): Promise<Booking[]> {
    return this.bookingsOf(sectorId)
      .filter((booking) => booking.restaurantId === restaurantId && booking.date === date)
      .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1))
      .map((booking) => structuredClone(booking));
  }

  async seatBlocks(sectorId: string, span: Interval): Promise<SeatBlock[]> {
    const blocks: SeatBlock[] = [];
    for (const holder of this.claimsBySector.get(sectorId) ?? []) {
      const claim = this.claims.get(holder)!;
      if (!overlaps(claim, span)) continue;
      const source = sourceOfHolder(holder);
      for (const tableId of claim.tableIds) blocks.push({ tableId, start: claim.start, end: claim.end, source });
    }
    return blocks;
  }

  async blackout(id: string): Promise<Versioned<Blackout> | null> {
    const blackout = this.blackouts.get(id);
    return blackout ? { value: structuredClone(blackout), version: this.versions.get(streams.blackout(id)) ?? 0 } : null;
  }

  async blackoutsOfSector(sectorId: string, span: Interval): Promise<Blackout[]> {
    return [...this.blackouts.values()]
      .filter((blackout) => blackout.sectorId === sectorId && blocksSeats(blackout) && overlaps(blackout, span))
      .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1))
      .map((blackout) => structuredClone(blackout));
  }

  private bump(sectorId: string): void {
    this.revisions.set(sectorId, (this.revisions.get(sectorId) ?? 0) + 1);
  }

  async sectorRevision(sectorId: string): Promise<number> {
    return this.revisions.get(sectorId) ?? 0;
  }

  async waitlistEntry(id: string): Promise<Versioned<WaitlistEntry> | null> {
    const entry = this.waitlist.get(id);
    return entry ? { value: structuredClone(entry), version: this.versions.get(streams.waitlist(id)) ?? 0 } : null;
  }

  async waitingEntries(sectorId: string): Promise<WaitlistEntry[]> {
    return [...this.waitlist.values()]
      .filter((entry) => entry.sectorId === sectorId && entry.status === 'WAITING')
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map((entry) => structuredClone(entry));
  }

  async sectorsWithWaiting(): Promise<string[]> {
    return [...new Set([...this.waitlist.values()].filter((entry) => entry.status === 'WAITING').map((entry) => entry.sectorId))].sort();
  }

  async expiredHolds(now: number, limit: number): Promise<string[]> {
    return [...this.bookings.values()]
      .filter((booking) => booking.status === 'PENDING' && booking.holdExpiresAt !== undefined && booking.holdExpiresAt <= now)
      .sort((a, b) => a.holdExpiresAt! - b.holdExpiresAt! || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((booking) => booking.id);
  }

  async counts() {
    return {
      restaurants: this.restaurants.size,
      sectors: this.sectors.size,
      tables: this.tables.size,
      bookings: this.bookings.size,
    };
  }

  private bookingsOf(sectorId: string): Booking[] {
    return [...(this.bookingsBySector.get(sectorId) ?? [])].map((id) => this.bookings.get(id)!);
  }

  async claim({ scope, key, payloadHash, now, expiresAt, leaseUntil }: ClaimRequest): Promise<ClaimResult> {
    const id = recordId(scope, key);
    const record = this.idempotency.get(id);
    const live = record && record.expiresAt > now && (record.response !== null || record.leaseUntil > now);
    if (record && live) {
      if (record.payloadHash !== payloadHash) return { outcome: 'mismatch' };
      return record.response ? { outcome: 'completed', response: structuredClone(record.response) } : { outcome: 'in_progress' };
    }
    this.idempotency.set(id, { payloadHash, response: null, expiresAt, leaseUntil });
    return { outcome: 'claimed' };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    const record = this.idempotency.get(recordId(scope, key));
    if (record) record.response = structuredClone(response);
  }

  async release(scope: string, key: string): Promise<void> {
    this.idempotency.delete(recordId(scope, key));
  }

  async purgeExpired(now: number): Promise<number> {
    let purged = 0;
    for (const [id, record] of this.idempotency) {
      if (record.expiresAt <= now) {
        this.idempotency.delete(id);
        purged++;
      }
    }
    return purged;
  }
}

/** Seats held by one booking or blackout: `holder` is the booking id or `blackout:<id>`. */
interface SeatClaim extends Interval {
  holder: string;
  sectorId: string;
  tableIds: readonly string[];
}

function claimOf(holder: string, owner: { sectorId: string; tableIds: readonly string[] } & Interval): SeatClaim {
  return { holder, sectorId: owner.sectorId, tableIds: [...owner.tableIds], start: owner.start, end: owner.end };
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(id);
}

function copy<T extends object>(value: T | undefined): T | null {
  return value ? structuredClone(value) : null;
}

function recordId(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}
