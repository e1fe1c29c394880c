import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type { EventLogMaintenance, EventMetadata, EventStore, PendingEvent, StoredEvent } from '../../application/ports/eventStore.js';
import type { ClaimRequest, ClaimResult, IdempotencyStore, StoredResponse } from '../../application/ports/idempotencyStore.js';
import { SqliteAppender } from './appendToStream.js';
import { GroupCommit } from './groupCommit.js';
import { SqliteIdempotency } from './idempotency.js';
import { migrate } from './migrations.js';
import { OUTDATE_REVISIONS, PROJECTION_TABLES, SqliteProjections } from './projections.js';
import { SqliteReadModel } from './readModel.js';

interface EventRow {
  position: number;
  stream: string;
  version: number;
  type: StoredEvent['type'];
  data: string;
  metadata: string;
  recorded_at: number;
}

const toStored = (row: EventRow): StoredEvent => ({
  position: row.position,
  stream: row.stream,
  version: row.version,
  type: row.type,
  data: JSON.parse(row.data) as StoredEvent['data'],
  metadata: JSON.parse(row.metadata) as EventMetadata,
  recordedAt: row.recorded_at,
});

/**
 * The embedded default: one SQLite file in WAL mode with synchronous=FULL, so a
 * committed write survives a crash or power loss. Several processes may share the
 * file; BEGIN IMMEDIATE serialises their writes and the trigger on booking_seats
 * refuses overlaps whoever writes.
 */
export class SqliteStore extends SqliteReadModel implements EventStore, IdempotencyStore, EventLogMaintenance {
  private readonly writes: GroupCommit;
  private readonly appender: SqliteAppender;
  private readonly idempotency: SqliteIdempotency;
  private readonly streamEvents: Statement;
  private readonly eventsAfter: Statement;

  private constructor(private readonly db: Database) {
    super(db);
    this.writes = new GroupCommit(db);
    this.appender = new SqliteAppender(db, new SqliteProjections(db));
    this.idempotency = new SqliteIdempotency(db);
    this.streamEvents = db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY version');
    this.eventsAfter = db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open(file: string): SqliteStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 10000');
    migrate(db);
    return new SqliteStore(db);
  }

  append(pending: readonly PendingEvent[], metadata: EventMetadata, recordedAt: number): Promise<StoredEvent[]> {
    return this.writes.run(() => this.appender.append(pending, metadata, recordedAt));
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    return (this.streamEvents.all(stream) as EventRow[]).map(toStored);
  }

  async readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    return (this.eventsAfter.all(afterPosition, limit) as EventRow[]).map(toStored);
  }

  async importEvents(events: readonly StoredEvent[]): Promise<void> {
    await this.writes.run(() => {
      for (const event of events) this.appender.write(event);
      this.appender.flushSeats();
    });
  }

  async rebuildProjections(): Promise<void> {
    await this.writes.run(() => {
      for (const table of PROJECTION_TABLES) this.db.exec(`DELETE FROM ${table}`);
      this.db.exec(OUTDATE_REVISIONS);
      const projections = new SqliteProjections(this.db);
      // Paged: a statement being iterated would block the projection writes on this connection.
      for (let after = 0, page: EventRow[]; (page = this.eventsAfter.all(after, 1000) as EventRow[]).length > 0;) {
        for (const row of page) projections.apply(toStored(row));
        after = page[page.length - 1]!.position;
      }
      // Seats are written once, as the whole log leaves them.
      projections.flushSeats();
    });
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

  purgeExpired(now: number): Promise<number> {
    return this.writes.run(() => this.idempotency.purgeExpired(now));
  }

  async close(): Promise<void> {
    await this.writes.run(() => undefined);
    this.db.close();
  }
}
