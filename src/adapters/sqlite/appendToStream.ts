import type { Database, Statement } from 'better-sqlite3';
import type { EventMetadata, PendingEvent, StoredEvent } from '../../application/ports/eventStore.js';
import { nextVersions } from '../streamVersions.js';
import type { SqliteProjections } from './projections.js';
import type { SqlitePersonalKeys } from './personalKeys.js';

/** Appends with optimistic concurrency and projects, inside the caller's transaction. */
export class SqliteAppender {
  private readonly currentVersion: Statement;
  private readonly insertEvent: Statement;
  private readonly lastPosition: Statement;

  constructor(
    db: Database,
    private readonly projections: SqliteProjections,
    private readonly keys: SqlitePersonalKeys,
  ) {
    this.currentVersion = db.prepare('SELECT MAX(version) AS version FROM events WHERE stream = ?');
    this.lastPosition = db.prepare('SELECT MAX(position) AS position FROM events');
    this.insertEvent = db.prepare(
      `INSERT INTO events (position, stream, version, type, data, metadata, recorded_at, subject)
       VALUES (@position, @stream, @version, @type, @data, @metadata, @recordedAt, @subject)`,
    );
  }

  append(pending: readonly PendingEvent[], metadata: EventMetadata, recordedAt: number): StoredEvent[] {
    const versions = nextVersions(pending, (stream) => (this.currentVersion.get(stream) as { version: number | null }).version ?? 0);
    const stored = pending.map(({ stream, event }, index) =>
      this.write({ position: null, stream, version: versions[index]!, type: event.type, data: event.data, metadata, recordedAt }),
    );
    this.projections.project(stored);
    return stored;
  }

  /** Writes events as they were (an import) and projects them as one batch; positions only move forward. */
  import(events: readonly StoredEvent[]): void {
    let previous = (this.lastPosition.get() as { position: number | null }).position ?? 0;
    for (const { position } of events) {
      if (!Number.isSafeInteger(position) || position <= previous) {
        throw new Error(`cannot import event at position ${position}: the log already reaches ${previous}`);
      }
      previous = position;
    }
    this.projections.project(events.map((event) => this.write(event)));
  }

  /**
   * Writes one event as given, its personal data sealed; a null position takes the
   * next one. Returns it as kept: without personal data once its subject is erased.
   */
  private write(event: Omit<StoredEvent, 'position'> & { position: number | null }): StoredEvent {
    const { sealed, kept, subject } = this.keys.seal(event.data);
    const result = this.insertEvent.run({ ...event, data: JSON.stringify(sealed), metadata: JSON.stringify(event.metadata), subject });
    return { ...event, data: kept, position: Number(result.lastInsertRowid) };
  }
}
