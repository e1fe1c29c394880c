import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import type { Blackout } from '../../domain/blackouts/blackout.js';
import type { SeatBlock } from '../../domain/availability/seatBlock.js';
import type { Pool } from 'pg';
import type { Booking } from '../../domain/bookings/booking.js';
import type { Restaurant, Sector, Table } from '../../domain/restaurants/restaurant.js';
import type { Interval } from '../../domain/time/interval.js';
import type {
  EventLogMaintenance,
  EventMetadata,
  EventStore,
  MaintenanceJob,
  PendingEvent,
  RebuildOptions,
  StoredEvent,
} from '../../application/ports/eventStore.js';
import type {
  ClaimRequest,
  ClaimResult,
  IdempotencyStore,
  IdempotentAnswer,
  PurgeOptions,
  StoredResponse,
} from '../../application/ports/idempotencyStore.js';
import type { AccessStore, Membership, StoredApiKey, StoredRefreshToken, StoredUser } from '../../application/ports/accessStore.js';
import type { ReadModel, RestaurantAndSector, SectorWithRevision, Versioned } from '../../application/ports/readModel.js';
import type { CommittedRead, LeaseClaim, LogCursor, SubscriptionStore } from '../../application/ports/eventSubscriptions.js';
import { CommitListeners } from '../commitListeners.js';
import type { GuestContacts, GuestStore } from '../../application/ports/guestStore.js';
import type { GuestProfile } from '../../domain/guests/guestProfile.js';
import * as access from './access.js';
import * as guests from './guests.js';
import { appendToStream } from './appendToStream.js';
import { KnownKeys } from './personalKeys.js';
import * as idempotency from './idempotency.js';
import * as maintenance from './maintenance.js';
import * as reads from './readModel.js';
import * as subscriptions from './subscriptions.js';

/**
 * Event log, projections and idempotency records in PostgreSQL. Each append is
 * one transaction that also updates the projections; the database itself
 * refuses a second version of a stream position and overlapping seats.
 */
export class PostgresStore
  implements EventStore, EventLogMaintenance, ReadModel, IdempotencyStore, SubscriptionStore, AccessStore, GuestStore
{
  private closed: Promise<void> | null = null;
  private readonly commits = new CommitListeners();
  /** Keys of subjects this process sealed for (see `KnownKeys`). */
  private readonly knownKeys = new KnownKeys();

  constructor(readonly pool: Pool) {}

  async append(
    events: readonly PendingEvent[],
    metadata: EventMetadata,
    recordedAt: number,
    answer?: IdempotentAnswer,
  ): Promise<StoredEvent[]> {
    const stored = await appendToStream(this.pool, events, { metadata, recordedAt, answer }, this.knownKeys);
    this.commits.notify();
    return stored;
  }

  // Guest profiles (see guests.ts).
  matchGuest(restaurantId: string, contacts: GuestContacts, fresh: GuestProfile): Promise<GuestProfile> {
    return guests.matchGuest(this.pool, restaurantId, contacts, fresh);
  }

  guest(id: string): Promise<GuestProfile | null> {
    return guests.guest(this.pool, id);
  }

  searchGuests(restaurantId: string, text: string, limit: number): Promise<GuestProfile[]> {
    return guests.searchGuests(this.pool, restaurantId, text, limit);
  }

  saveGuests(profiles: readonly GuestProfile[]): Promise<void> {
    return guests.saveGuestsAtomically(this.pool, profiles);
  }

  guestsAfter(afterId: string, limit: number): Promise<GuestProfile[]> {
    return guests.guestsAfter(this.pool, afterId, limit);
  }

  bookingsOfGuests(guestIds: readonly string[]): Promise<Booking[]> {
    return guests.bookingsOfGuests(this.pool, guestIds);
  }

  eraseGuests(profiles: readonly GuestProfile[]): Promise<void> {
    // Not needed for safety (an append's guard catches a nulled key), but no reason to hold them.
    this.knownKeys.forget(profiles.map((profile) => profile.id));
    return guests.eraseGuests(this.pool, profiles);
  }

  readStream(stream: string): Promise<StoredEvent[]> {
    return maintenance.readStream(this.pool, stream);
  }

  readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    return maintenance.readAll(this.pool, afterPosition, limit);
  }

  async importEvents(events: readonly StoredEvent[]): Promise<void> {
    await maintenance.importEvents(this.pool, events);
    this.commits.notify();
  }

  rebuildProjections(options?: RebuildOptions): Promise<void> {
    return maintenance.rebuildProjections(this.pool, options);
  }

  lastPosition(): Promise<number> {
    return maintenance.lastPosition(this.pool);
  }

  unfinishedJob(): Promise<MaintenanceJob | null> {
    return maintenance.unfinishedJob(this.pool);
  }

  markRestore(total: number | null): Promise<void> {
    return maintenance.markRestore(this.pool, total);
  }

  restaurant(id: string): Promise<Restaurant | null> {
    return reads.findRestaurant(this.pool, id);
  }

  sector(id: string): Promise<Sector | null> {
    return reads.findSector(this.pool, id);
  }

  restaurantAndSector(restaurantId: string, sectorId: string, seatsOver?: Interval): Promise<RestaurantAndSector> {
    return reads.restaurantAndSector(this.pool, restaurantId, sectorId, seatsOver);
  }

  sectorsOfRestaurant(restaurantId: string): Promise<SectorWithRevision[]> {
    return reads.sectorsOfRestaurant(this.pool, restaurantId);
  }

  table(id: string): Promise<Table | null> {
    return reads.findTable(this.pool, id);
  }

  tablesOfSector(sectorId: string): Promise<Table[]> {
    return reads.tablesOfSector(this.pool, sectorId);
  }

  booking(id: string): Promise<Versioned<Booking> | null> {
    return reads.findBooking(this.pool, id);
  }

  bookingsOfDay(restaurantId: string, sectorId: string, date: string): Promise<Booking[]> {
    return reads.bookingsOfDay(this.pool, restaurantId, sectorId, date);
  }

  tablesAndSeatBlocks(sectorId: string, span: Interval): Promise<{ tables: Table[]; blocks: SeatBlock[] }> {
    return reads.tablesAndSeatBlocks(this.pool, sectorId, span);
  }

  seatBlocks(sectorId: string, span: Interval): Promise<SeatBlock[]> {
    return reads.seatBlocks(this.pool, sectorId, span);
  }

  blackout(id: string): Promise<Versioned<Blackout> | null> {
    return reads.blackout(this.pool, id);
  }

  blackoutsOfSector(sectorId: string, span: Interval): Promise<Blackout[]> {
    return reads.blackoutsOfSector(this.pool, sectorId, span);
  }

  waitlistEntry(id: string): Promise<Versioned<WaitlistEntry> | null> {
    return reads.waitlistEntry(this.pool, id);
  }

  waitingEntries(sectorId: string, fromDate: string): Promise<WaitlistEntry[]> {
    return reads.waitingEntries(this.pool, sectorId, fromDate);
  }

  waitlistEntriesOfDay(sectorId: string, date: string): Promise<WaitlistEntry[]> {
    return reads.waitlistEntriesOfDay(this.pool, sectorId, date);
  }

  sectorsWithWaiting(fromDate: string): Promise<string[]> {
    return reads.sectorsWithWaiting(this.pool, fromDate);
  }

  expiredHolds(now: number, limit: number): Promise<string[]> {
    return reads.expiredHolds(this.pool, now, limit);
  }

  dueNoShows(now: number, limit: number): Promise<string[]> {
    return reads.dueNoShows(this.pool, now, limit);
  }

  sectorRevision(sectorId: string): Promise<number> {
    return reads.sectorRevision(this.pool, sectorId);
  }

  /** Readiness: one trivial read, which fails while a rebuild or restore is unfinished. */
  ping(): Promise<void> {
    return maintenance.ping(this.pool);
  }

  counts(): Promise<{ restaurants: number; sectors: number; tables: number; bookings: number }> {
    return reads.counts(this.pool);
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return idempotency.claim(this.pool, request);
  }

  complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    return idempotency.complete(this.pool, scope, key, response);
  }

  release(scope: string, key: string): Promise<void> {
    return idempotency.release(this.pool, scope, key);
  }

  purgeExpired(now: number, options?: PurgeOptions): Promise<number> {
    return idempotency.purgeExpired(this.pool, now, options);
  }

  readCommitted(after: LogCursor | null, limit: number): Promise<CommittedRead> {
    return subscriptions.readCommitted(this.pool, after, limit);
  }

  committedEnd(): Promise<LogCursor | null> {
    return subscriptions.committedEnd(this.pool);
  }

  claimLease(name: string, owner: string, now: number, leaseMs: number, startAt: LogCursor | null): Promise<LeaseClaim> {
    return subscriptions.claimLease(this.pool, name, owner, now, leaseMs, startAt);
  }

  saveCheckpoint(name: string, owner: string, cursor: LogCursor, now: number, leaseMs: number): Promise<boolean> {
    return subscriptions.saveCheckpoint(this.pool, name, owner, cursor, now, leaseMs);
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return subscriptions.releaseLease(this.pool, name, owner);
  }

  checkpointOf(name: string): Promise<LogCursor | null> {
    return subscriptions.checkpointOf(this.pool, name);
  }

  createUser(user: StoredUser): Promise<boolean> {
    return access.createUser(this.pool, user);
  }

  userById(id: string): Promise<StoredUser | null> {
    return access.userById(this.pool, id);
  }

  userByEmail(email: string): Promise<StoredUser | null> {
    return access.userByEmail(this.pool, email);
  }

  putMembership(membership: Membership): Promise<void> {
    return access.putMembership(this.pool, membership);
  }

  removeMembership(restaurantId: string, userId: string): Promise<boolean> {
    return access.removeMembership(this.pool, restaurantId, userId);
  }

  membershipsOfUser(userId: string): Promise<Membership[]> {
    return access.membershipsOfUser(this.pool, userId);
  }

  membersOf(restaurantId: string): Promise<Membership[]> {
    return access.membersOf(this.pool, restaurantId);
  }

  createApiKey(key: StoredApiKey): Promise<void> {
    return access.createApiKey(this.pool, key);
  }

  apiKeyByHash(keyHash: string): Promise<StoredApiKey | null> {
    return access.apiKeyByHash(this.pool, keyHash);
  }

  apiKeysOf(restaurantId: string): Promise<StoredApiKey[]> {
    return access.apiKeysOf(this.pool, restaurantId);
  }

  revokeApiKey(restaurantId: string, keyId: string, at: number): Promise<boolean> {
    return access.revokeApiKey(this.pool, restaurantId, keyId, at);
  }

  touchApiKey(keyId: string, at: number): Promise<void> {
    return access.touchApiKey(this.pool, keyId, at);
  }

  saveRefreshToken(token: StoredRefreshToken): Promise<void> {
    return access.saveRefreshToken(this.pool, token);
  }

  refreshToken(tokenHash: string): Promise<StoredRefreshToken | null> {
    return access.refreshToken(this.pool, tokenHash);
  }

  spendRefreshToken(tokenHash: string, at: number): Promise<boolean> {
    return access.spendRefreshToken(this.pool, tokenHash, at);
  }

  revokeRefreshFamily(familyId: string, at: number): Promise<void> {
    return access.revokeRefreshFamily(this.pool, familyId, at);
  }

  recordLoginFailure(email: string, at: number): Promise<void> {
    return access.recordLoginFailure(this.pool, email, at);
  }

  loginFailuresSince(email: string, since: number): Promise<number> {
    return access.loginFailuresSince(this.pool, email, since);
  }

  clearLoginFailures(email: string): Promise<void> {
    return access.clearLoginFailures(this.pool, email);
  }

  /** Appends through this object only: other processes' commits are found by polling. */
  onCommitted(listener: () => void): () => void {
    return this.commits.add(listener);
  }

  /** Ends the pool; calling it again waits for the same end. */
  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}
