import type { Database, Statement } from 'better-sqlite3';
import type { ClaimRequest, ClaimResult, StoredResponse } from '../../application/ports/idempotencyStore.js';
import { packResponse, samePayloadHash, unpackResponse } from '../idempotencyRecords.js';

interface RecordRow {
  payload_hash: string;
  response: Buffer | string | null;
  expires_at: number;
  lease_until: number;
}

/** Idempotency records; every method runs inside a write transaction of the caller's. */
export class SqliteIdempotency {
  private readonly find: Statement;
  private readonly put: Statement;
  private readonly finish: Statement;
  private readonly forget: Statement;
  private readonly purge: Statement;

  constructor(db: Database) {
    this.find = db.prepare('SELECT payload_hash, response, expires_at, lease_until FROM idempotency WHERE scope = ? AND key = ?');
    this.put = db.prepare(
      `INSERT INTO idempotency (scope, key, payload_hash, response, expires_at, lease_until)
       VALUES (@scope, @key, @payloadHash, NULL, @expiresAt, @leaseUntil)
       ON CONFLICT (scope, key) DO UPDATE SET payload_hash = excluded.payload_hash, response = NULL,
         expires_at = excluded.expires_at, lease_until = excluded.lease_until`,
    );
    this.finish = db.prepare('UPDATE idempotency SET response = ? WHERE scope = ? AND key = ?');
    this.forget = db.prepare('DELETE FROM idempotency WHERE scope = ? AND key = ? AND response IS NULL');
    // A bounded batch through the expiry index: each is a short transaction of its own.
    this.purge = db.prepare(
      'DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)',
    );
  }

  claim(request: ClaimRequest): ClaimResult {
    const row = this.find.get(request.scope, request.key) as RecordRow | undefined;
    const live = row && row.expires_at > request.now && (row.response !== null || row.lease_until > request.now);
    if (row && live) {
      if (!samePayloadHash(row.payload_hash, request.payloadHash)) return { outcome: 'mismatch' };
      return row.response === null ? { outcome: 'in_progress' } : { outcome: 'completed', response: unpackResponse(row.response) };
    }
    this.put.run(request);
    return { outcome: 'claimed' };
  }

  complete(scope: string, key: string, response: StoredResponse): void {
    this.finish.run(packResponse(response), scope, key);
  }

  release(scope: string, key: string): void {
    this.forget.run(scope, key);
  }

  /** One batch of the purge: at most `limit` expired records. */
  purgeBatch(now: number, limit: number): number {
    return this.purge.run(now, limit).changes;
  }
}
