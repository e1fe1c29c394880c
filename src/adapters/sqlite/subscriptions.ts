import type { Database, Statement } from 'better-sqlite3';
import type { LeaseClaim, LogCursor } from '../../application/ports/eventSubscriptions.js';
import { positionCursor, positionOf } from '../positionCursors.js';

/**
 * Checkpoints and leases of durable subscriptions in SQLite. Every writer,
 * in any process, takes the file's write lock (BEGIN IMMEDIATE) before it takes
 * a position, and commits before the next one can: positions are committed in
 * order, so the cursor is the position and reading by position skips nothing.
 *
 * The writing methods are synchronous and must run inside the store's
 * GroupCommit, so they never interleave with an append on the same connection.
 */
export class SqliteSubscriptions {
  private readonly lastPosition: Statement;
  private readonly claim: Statement;
  private readonly save: Statement;
  private readonly release: Statement;
  private readonly checkpoint: Statement;

  constructor(db: Database) {
    this.lastPosition = db.prepare('SELECT max(position) AS position FROM events');
    // Inserts the subscription, or takes the lease when it is ours, free or expired;
    // RETURNING yields no row when another owner's lease still runs.
    this.claim = db.prepare(
      `INSERT INTO subscriptions (name, checkpoint, owner, lease_until, updated_at) VALUES (@name, @startAt, @owner, @leaseUntil, @now)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until, updated_at = excluded.updated_at
         WHERE subscriptions.owner = excluded.owner OR subscriptions.owner IS NULL OR subscriptions.lease_until <= @now
       RETURNING checkpoint`,
    );
    this.save = db.prepare(
      `UPDATE subscriptions SET checkpoint = max(coalesce(checkpoint, 0), @position), lease_until = @leaseUntil, updated_at = @now
       WHERE name = @name AND owner = @owner`,
    );
    this.release = db.prepare('UPDATE subscriptions SET owner = NULL, lease_until = 0 WHERE name = ? AND owner = ?');
    this.checkpoint = db.prepare('SELECT checkpoint FROM subscriptions WHERE name = ?');
  }

  committedEnd(): LogCursor | null {
    const row = this.lastPosition.get() as { position: number | null };
    return row.position === null ? null : positionCursor(row.position);
  }

  claimLease(name: string, owner: string, now: number, leaseMs: number, startAt: LogCursor | null): LeaseClaim {
    const row = this.claim.get({ name, owner, now, leaseUntil: now + leaseMs, startAt: startAt === null ? null : positionOf(startAt) }) as
      { checkpoint: number | null } | undefined;
    return row ? { held: true, checkpoint: row.checkpoint === null ? null : positionCursor(row.checkpoint) } : { held: false };
  }

  /** Moves the checkpoint only forward (`max`), and renews the lease, while `owner` holds it. */
  saveCheckpoint(name: string, owner: string, cursor: LogCursor, now: number, leaseMs: number): boolean {
    return this.save.run({ name, owner, now, leaseUntil: now + leaseMs, position: positionOf(cursor) }).changes === 1;
  }

  releaseLease(name: string, owner: string): void {
    this.release.run(name, owner);
  }

  checkpointOf(name: string): LogCursor | null {
    const row = this.checkpoint.get(name) as { checkpoint: number | null } | undefined;
    return row?.checkpoint == null ? null : positionCursor(row.checkpoint);
  }
}
