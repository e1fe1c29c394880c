import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type {
  EventLogMaintenance,
  EventMetadata,
  EventStore,
  MaintenanceJob,
  PendingEvent,
  RebuildOptions,
  StoredEvent,
} from '../../application/ports/eventStore.js';
import { runRebuild } from '../../application/maintenance/rebuild.js';
import { unfinishedJobError } from '../../application/maintenance/jobs.js';
import {
  purgeInBatches,
  type ClaimRequest,
  type ClaimResult,
  type IdempotencyStore,
  type IdempotentAnswer,
  type PurgeOptions,
  type StoredResponse,
} from '../../application/ports/idempotencyStore.js';
import type { GuestContacts, GuestStore } from '../../application/ports/guestStore.js';
import type { GuestProfile } from '../../domain/guests/guestProfile.js';
import type { Booking } from '../../domain/bookings/booking.js';
import type { AccessStore, Membership, StoredApiKey, StoredRefreshToken, StoredUser } from '../../application/ports/accessStore.js';
import type { CommittedRead, LeaseClaim, LogCursor, SubscriptionStore } from '../../application/ports/eventSubscriptions.js';
import { CommitListeners } from '../commitListeners.js';
import { positionOf, withPositionCursors } from '../positionCursors.js';
import { SqliteAccess } from './access.js';
import { SqliteAppender } from './appendToStream.js';
import { GroupCommit } from './groupCommit.js';
import { SqliteIdempotency } from './idempotency.js';
import { SqliteGuests } from './guests.js';
import { SqlitePersonalKeys } from './personalKeys.js';
import { migrate } from './migrations.js';
import { OUTDATE_REVISIONS, PROJECTION_TABLES, SqliteProjections } from './projections.js';
import { SqliteReadModel } from './readModel.js';
import { SqliteSubscriptions } from './subscriptions.js';

interface EventRow {
  position: number;
  stream: string;
  version: number;
  type: StoredEvent['type'];
  data: string;
  metadata: string;
  recorded_at: number;
  subject: string | null;
}

/**
 * The embedded default: one SQLite file in WAL mode with synchronous=FULL, so a
 * committed write survives a crash or power loss. Several processes may share the
 * file; BEGIN IMMEDIATE serialises their writes and the trigger on booking_seats
 * refuses overlaps whoever writes.
 */
export class SqliteStore
  extends SqliteReadModel
  implements EventStore, IdempotencyStore, EventLogMaintenance, SubscriptionStore, AccessStore, GuestStore
{
  private readonly writes: GroupCommit;
  private readonly appender: SqliteAppender;
  private readonly idempotency: SqliteIdempotency;
  private readonly subscriptions: SqliteSubscriptions;
  private readonly access: SqliteAccess;
  private readonly keys: SqlitePersonalKeys;
  private readonly guests: SqliteGuests;
  private readonly commits = new CommitListeners();
  private readonly streamEvents: Statement;
  private readonly eventsAfter: Statement;
  private bulk = false;
  private readonly jobs: { find: Statement; put: Statement; drop: Statement; last: Statement; count: Statement };

  private constructor(private readonly db: Database) {
    super(db);
    this.writes = new GroupCommit(db);
    this.keys = new SqlitePersonalKeys(db);
    this.guests = new SqliteGuests(db, this.keys);
    this.appender = new SqliteAppender(db, new SqliteProjections(db), this.keys);
    this.idempotency = new SqliteIdempotency(db);
    this.subscriptions = new SqliteSubscriptions(db);
    this.access = new SqliteAccess(db);
    this.streamEvents = db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY version');
    this.eventsAfter = db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
    this.jobs = {
      find: db.prepare('SELECT kind, position, done, total FROM maintenance_jobs LIMIT 1'),
      put: db.prepare('INSERT OR REPLACE INTO maintenance_jobs (kind, position, done, total) VALUES (@kind, @position, @done, @total)'),
      drop: db.prepare('DELETE FROM maintenance_jobs WHERE kind = ?'),
      last: db.prepare('SELECT MAX(position) AS position FROM events'),
      count: db.prepare('SELECT COUNT(*) AS count FROM events'),
    };
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open(file: string): SqliteStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 10000');
    db.pragma('cache_size = -262144');
    // Freed space is zeroed, so personal data an erasure removed does not linger in the file's free pages.
    db.pragma('secure_delete = ON');
    migrate(db);
    return new SqliteStore(db);
  }

  async append(
    pending: readonly PendingEvent[],
    metadata: EventMetadata,
    recordedAt: number,
    answer?: IdempotentAnswer,
  ): Promise<StoredEvent[]> {
    const stored = await this.writes.run(() => {
      const appended = this.appender.append(pending, metadata, recordedAt);
      // In the append's transaction: committed with the events, or not at all.
      if (answer) this.idempotency.complete(answer.scope, answer.key, answer.response);
      return appended;
    });
    this.commits.notify();
    return stored;
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    return (this.streamEvents.all(stream) as EventRow[]).map((row) => this.toStored(row));
  }

  async readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    return (this.eventsAfter.all(afterPosition, limit) as EventRow[]).map((row) => this.toStored(row));
  }

  /** An event as the application wrote it: its personal data opened, or left out once its subject was erased. */
  private toStored(row: EventRow): StoredEvent {
    return {
      position: row.position,
      stream: row.stream,
      version: row.version,
      type: row.type,
      data: this.keys.open(JSON.parse(row.data) as StoredEvent['data'], row.subject),
      metadata: JSON.parse(row.metadata) as EventMetadata,
      recordedAt: row.recorded_at,
    };
  }

  async importEvents(events: readonly StoredEvent[]): Promise<void> {
    this.enterBulk();
    await this.writes.run(() => {
      this.appender.import(events);
    });
    this.commits.notify();
  }

  async lastPosition(): Promise<number> {
    return (this.jobs.last.get() as { position: number | null }).position ?? 0;
  }

  async unfinishedJob(): Promise<MaintenanceJob | null> {
    return (this.jobs.find.get() as MaintenanceJob | undefined) ?? null;
  }

  async markRestore(total: number | null): Promise<void> {
    await this.writes.run(() => {
      if (total === null) this.jobs.drop.run('restore');
      else this.jobs.put.run({ kind: 'restore', position: 0, done: 0, total });
    });
    if (total === null) this.leaveBulk();
  }

  /**
   * Imports and rebuilds write many large transactions: the WAL is copied back into the
   * database once when they end, rather than after every commit (each copy rewrote the
   * same index pages again). Every commit is still synced to the WAL.
   */
  private enterBulk(): void {
    if (this.bulk) return;
    this.db.pragma('wal_autocheckpoint = 0');
    this.bulk = true;
  }

  private leaveBulk(): void {
    if (!this.bulk || !this.db.open) return;
    this.bulk = false;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.pragma('wal_autocheckpoint = 1000');
  }

  /** Readiness: a trivial read, which fails while a rebuild or restore is unfinished. */
  override async ping(): Promise<void> {
    const job = this.jobs.find.get() as MaintenanceJob | undefined;
    if (job) throw unfinishedJobError(job);
  }

  async rebuildProjections(options?: RebuildOptions): Promise<void> {
    const projections = new SqliteProjections(this.db);
    this.enterBulk();
    try {
      await this.rebuildIn(projections, options);
    } finally {
      this.leaveBulk();
    }
  }

  private rebuildIn(projections: SqliteProjections, options?: RebuildOptions): Promise<void> {
    return runRebuild(
      {
        job: () => this.unfinishedJob(),
        start: () =>
          this.writes.run(() => {
            for (const table of PROJECTION_TABLES) this.db.exec(`DELETE FROM ${table}`);
            this.db.exec(OUTDATE_REVISIONS);
            const job: MaintenanceJob = {
              kind: 'rebuild',
              position: 0,
              done: 0,
              total: (this.jobs.count.get() as { count: number }).count,
            };
            this.jobs.put.run(job);
            return job;
          }),
        readAll: (after, limit) => this.readAll(after, limit),
        commit: (events, next) =>
          this.writes.run(() => {
            projections.project(events);
            if (next) this.jobs.put.run(next);
            else this.jobs.drop.run('rebuild');
          }),
      },
      options,
    );
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.writes.run(() => this.idempotency.claim(request));
  }

  complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    return this.writes.run(() => this.idempotency.complete(scope, key, response));
  }

  release(scope: string, key: string): Promise<void> {
    return this.writes.run(() => this.idempotency.release(scope, key));
  }

  purgeExpired(now: number, options?: PurgeOptions): Promise<number> {
    return purgeInBatches((limit) => this.writes.run(() => this.idempotency.purgeBatch(now, limit)), options);
  }

  // Subscriptions: the log in position order is the committed order (see subscriptions.ts).

  async readCommitted(after: LogCursor | null, limit: number): Promise<CommittedRead> {
    // One writer at a time: positions commit in order, and nothing committed is behind one still running.
    return { events: withPositionCursors(await this.readAll(positionOf(after), limit)), heldBack: false };
  }

  async committedEnd(): Promise<LogCursor | null> {
    return this.subscriptions.committedEnd();
  }

  claimLease(name: string, owner: string, now: number, leaseMs: number, startAt: LogCursor | null): Promise<LeaseClaim> {
    return this.writes.run(() => this.subscriptions.claimLease(name, owner, now, leaseMs, startAt));
  }

  saveCheckpoint(name: string, owner: string, cursor: LogCursor, now: number, leaseMs: number): Promise<boolean> {
    return this.writes.run(() => this.subscriptions.saveCheckpoint(name, owner, cursor, now, leaseMs));
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return this.writes.run(() => this.subscriptions.releaseLease(name, owner));
  }

  async checkpointOf(name: string): Promise<LogCursor | null> {
    return this.subscriptions.checkpointOf(name);
  }

  onCommitted(listener: () => void): () => void {
    return this.commits.add(listener);
  }

  // Access: writes go through the group commit, reads straight to the database.

  createUser(user: StoredUser): Promise<boolean> {
    return this.writes.run(() => this.access.createUser(user));
  }

  async userById(id: string): Promise<StoredUser | null> {
    return this.access.userById(id);
  }

  async userByEmail(email: string): Promise<StoredUser | null> {
    return this.access.userByEmail(email);
  }

  putMembership(membership: Membership): Promise<void> {
    return this.writes.run(() => this.access.putMembership(membership));
  }

  removeMembership(restaurantId: string, userId: string): Promise<boolean> {
    return this.writes.run(() => this.access.removeMembership(restaurantId, userId));
  }

  async membershipsOfUser(userId: string): Promise<Membership[]> {
    return this.access.membershipsOfUser(userId);
  }

  async membersOf(restaurantId: string): Promise<Membership[]> {
    return this.access.membersOf(restaurantId);
  }

  createApiKey(key: StoredApiKey): Promise<void> {
    return this.writes.run(() => this.access.createApiKey(key));
  }

  async apiKeyByHash(keyHash: string): Promise<StoredApiKey | null> {
    return this.access.apiKeyByHash(keyHash);
  }

  async apiKeysOf(restaurantId: string): Promise<StoredApiKey[]> {
    return this.access.apiKeysOf(restaurantId);
  }

  revokeApiKey(restaurantId: string, keyId: string, at: number): Promise<boolean> {
    return this.writes.run(() => this.access.revokeApiKey(restaurantId, keyId, at));
  }

  touchApiKey(keyId: string, at: number): Promise<void> {
    return this.writes.run(() => this.access.touchApiKey(keyId, at));
  }

  saveRefreshToken(token: StoredRefreshToken): Promise<void> {
    return this.writes.run(() => this.access.saveRefreshToken(token));
  }

  async refreshToken(tokenHash: string): Promise<StoredRefreshToken | null> {
    return this.access.refreshToken(tokenHash);
  }

  spendRefreshToken(tokenHash: string, at: number): Promise<boolean> {
    return this.writes.run(() => this.access.spendRefreshToken(tokenHash, at));
  }

  revokeRefreshFamily(familyId: string, at: number): Promise<void> {
    return this.writes.run(() => this.access.revokeRefreshFamily(familyId, at));
  }

  recordLoginFailure(email: string, at: number): Promise<void> {
    return this.writes.run(() => this.access.recordLoginFailure(email, at));
  }

  async loginFailuresSince(email: string, since: number): Promise<number> {
    return this.access.loginFailuresSince(email, since);
  }

  clearLoginFailures(email: string): Promise<void> {
    return this.writes.run(() => this.access.clearLoginFailures(email));
  }

  async matchGuest(restaurantId: string, contacts: GuestContacts, fresh: GuestProfile): Promise<GuestProfile> {
    return this.guests.known(restaurantId, contacts, fresh.name) ?? this.writes.run(() => this.guests.match(restaurantId, contacts, fresh));
  }

  async guest(id: string): Promise<GuestProfile | null> {
    return this.guests.guest(id);
  }

  async searchGuests(restaurantId: string, text: string, limit: number): Promise<GuestProfile[]> {
    return this.guests.find(restaurantId, text, limit);
  }

  async saveGuests(profiles: readonly GuestProfile[]): Promise<void> {
    return this.writes.run(() => this.guests.save(profiles));
  }

  async guestsAfter(afterId: string, limit: number): Promise<GuestProfile[]> {
    return this.guests.after(afterId, limit);
  }

  async bookingsOfGuests(guestIds: readonly string[]): Promise<Booking[]> {
    return this.guests.bookingsOf(guestIds);
  }

  async eraseGuests(profiles: readonly GuestProfile[]): Promise<void> {
    await this.writes.run(() => this.guests.erase(profiles));
    this.guests.flushLog();
  }

  async close(): Promise<void> {
    await this.writes.run(() => undefined);
    this.leaveBulk();
    this.db.close();
  }
}
