import type {
  EventLogMaintenance,
  EventMetadata,
  EventStore,
  MaintenanceJob,
  PendingEvent,
  RebuildOptions,
  StoredEvent,
} from '../../application/ports/eventStore.js';
import { unfinishedJobError } from '../../application/maintenance/jobs.js';
import type {
  ClaimRequest,
  ClaimResult,
  IdempotencyStore,
  IdempotentAnswer,
  PurgeOptions,
  StoredResponse,
} from '../../application/ports/idempotencyStore.js';
import type { AccessStore, Membership, StoredApiKey, StoredRefreshToken, StoredUser } from '../../application/ports/accessStore.js';
import type { GuestContacts, GuestStore } from '../../application/ports/guestStore.js';
import type { Booking } from '../../domain/bookings/booking.js';
import type { GuestProfile } from '../../domain/guests/guestProfile.js';
import { MemoryAccess } from './access.js';
import { MemoryGuests } from './guests.js';
import { MemoryLog } from './appendToStream.js';
import { MemoryIdempotency } from './idempotency.js';
import { MemoryProjections } from './projections.js';
import { MemoryReadModel } from './readModel.js';
import type { CommittedRead, LeaseClaim, LogCursor, SubscriptionStore } from '../../application/ports/eventSubscriptions.js';
import { MemorySubscriptions } from './subscriptions.js';

/**
 * Event log and projections in one process's memory: nothing survives a restart.
 * It keeps the same rules as the durable stores — versions, and no overlapping
 * seats on a table — so the application cannot tell them apart.
 */
export class MemoryStore
  extends MemoryReadModel
  implements EventStore, EventLogMaintenance, IdempotencyStore, SubscriptionStore, AccessStore, GuestStore
{
  private readonly log: MemoryLog;
  private readonly idempotency = new MemoryIdempotency();
  private readonly access = new MemoryAccess();
  private readonly subscriptions = new MemorySubscriptions(() => this.log.events);
  private readonly guests: MemoryGuests;
  private restoring: MaintenanceJob | null = null;

  constructor() {
    super(new MemoryProjections());
    this.log = new MemoryLog(this.projections);
    this.guests = new MemoryGuests(this.projections, () => this.log.events);
  }

  // Guest profiles (see guests.ts).
  async matchGuest(restaurantId: string, contacts: GuestContacts, fresh: GuestProfile): Promise<GuestProfile> {
    return this.guests.match(restaurantId, contacts, fresh);
  }

  async guest(id: string): Promise<GuestProfile | null> {
    return this.guests.guest(id);
  }

  async searchGuests(restaurantId: string, text: string, limit: number): Promise<GuestProfile[]> {
    return this.guests.find(restaurantId, text, limit);
  }

  async saveGuests(profiles: readonly GuestProfile[]): Promise<void> {
    this.guests.save(profiles);
  }

  async guestsAfter(afterId: string, limit: number): Promise<GuestProfile[]> {
    return this.guests.after(afterId, limit);
  }

  async bookingsOfGuests(guestIds: readonly string[]): Promise<Booking[]> {
    return this.guests.bookingsOf(guestIds);
  }

  async eraseGuests(profiles: readonly GuestProfile[]): Promise<void> {
    this.guests.erase(profiles);
  }

  async append(
    pending: readonly PendingEvent[],
    metadata: EventMetadata,
    recordedAt: number,
    answer?: IdempotentAnswer,
  ): Promise<StoredEvent[]> {
    const keepable = pending.map((item) => ({ ...item, event: this.guests.keepable(item.event) }));
    const stored = this.log.append(keepable, metadata, recordedAt);
    // In the same turn as the events: nothing runs between them.
    if (answer) this.idempotency.keep(answer);
    this.subscriptions.notifyCommitted();
    return stored;
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    return this.log.readStream(stream);
  }

  async readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    return this.log.readAll(afterPosition, limit);
  }

  async importEvents(events: readonly StoredEvent[]): Promise<void> {
    this.log.import(events);
    this.subscriptions.notifyCommitted();
  }

  async lastPosition(): Promise<number> {
    return this.log.events.at(-1)?.position ?? 0;
  }

  /** In one step: nothing is left half-done for a rerun to find. */
  async rebuildProjections(options: RebuildOptions = {}): Promise<void> {
    this.projections.clear();
    this.projections.project(this.log.events);
    const total = this.log.events.length;
    options.onProgress?.({ done: total, total });
  }

  async unfinishedJob(): Promise<MaintenanceJob | null> {
    return this.restoring ? { ...this.restoring } : null;
  }

  async markRestore(total: number | null): Promise<void> {
    this.restoring = total === null ? null : { kind: 'restore', position: 0, done: 0, total };
  }

  override async ping(): Promise<void> {
    if (this.restoring) throw unfinishedJobError(this.restoring);
  }

  async close(): Promise<void> {}

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.idempotency.claim(request);
  }

  complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    return this.idempotency.complete(scope, key, response);
  }

  release(scope: string, key: string): Promise<void> {
    return this.idempotency.release(scope, key);
  }

  purgeExpired(now: number, options?: PurgeOptions): Promise<number> {
    return this.idempotency.purgeExpired(now, options);
  }

  readCommitted(after: LogCursor | null, limit: number): Promise<CommittedRead> {
    return this.subscriptions.readCommitted(after, limit);
  }

  committedEnd(): Promise<LogCursor | null> {
    return this.subscriptions.committedEnd();
  }

  claimLease(name: string, owner: string, now: number, leaseMs: number, startAt: LogCursor | null): Promise<LeaseClaim> {
    return this.subscriptions.claimLease(name, owner, now, leaseMs, startAt);
  }

  saveCheckpoint(name: string, owner: string, cursor: LogCursor, now: number, leaseMs: number): Promise<boolean> {
    return this.subscriptions.saveCheckpoint(name, owner, cursor, now, leaseMs);
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return this.subscriptions.releaseLease(name, owner);
  }

  checkpointOf(name: string): Promise<LogCursor | null> {
    return this.subscriptions.checkpointOf(name);
  }

  onCommitted(listener: () => void): () => void {
    return this.subscriptions.onCommitted(listener);
  }

  // Access: users, memberships, API keys, refresh tokens and failed logins (see access.ts).

  createUser(user: StoredUser): Promise<boolean> {
    return this.access.createUser(user);
  }

  userById(id: string): Promise<StoredUser | null> {
    return this.access.userById(id);
  }

  userByEmail(email: string): Promise<StoredUser | null> {
    return this.access.userByEmail(email);
  }

  putMembership(membership: Membership): Promise<void> {
    return this.access.putMembership(membership);
  }

  removeMembership(restaurantId: string, userId: string): Promise<boolean> {
    return this.access.removeMembership(restaurantId, userId);
  }

  membershipsOfUser(userId: string): Promise<Membership[]> {
    return this.access.membershipsOfUser(userId);
  }

  membersOf(restaurantId: string): Promise<Membership[]> {
    return this.access.membersOf(restaurantId);
  }

  createApiKey(key: StoredApiKey): Promise<void> {
    return this.access.createApiKey(key);
  }

  apiKeyByHash(keyHash: string): Promise<StoredApiKey | null> {
    return this.access.apiKeyByHash(keyHash);
  }

  apiKeysOf(restaurantId: string): Promise<StoredApiKey[]> {
    return this.access.apiKeysOf(restaurantId);
  }

  revokeApiKey(restaurantId: string, keyId: string, at: number): Promise<boolean> {
    return this.access.revokeApiKey(restaurantId, keyId, at);
  }

  touchApiKey(keyId: string, at: number): Promise<void> {
    return this.access.touchApiKey(keyId, at);
  }

  saveRefreshToken(token: StoredRefreshToken): Promise<void> {
    return this.access.saveRefreshToken(token);
  }

  refreshToken(tokenHash: string): Promise<StoredRefreshToken | null> {
    return this.access.refreshToken(tokenHash);
  }

  spendRefreshToken(tokenHash: string, at: number): Promise<boolean> {
    return this.access.spendRefreshToken(tokenHash, at);
  }

  revokeRefreshFamily(familyId: string, at: number): Promise<void> {
    return this.access.revokeRefreshFamily(familyId, at);
  }

  recordLoginFailure(email: string, at: number): Promise<void> {
    return this.access.recordLoginFailure(email, at);
  }

  loginFailuresSince(email: string, since: number): Promise<number> {
    return this.access.loginFailuresSince(email, since);
  }

  clearLoginFailures(email: string): Promise<void> {
    return this.access.clearLoginFailures(email);
  }
}
