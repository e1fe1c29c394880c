import {
  purgeInBatches,
  type ClaimRequest,
  type ClaimResult,
  type IdempotentAnswer,
  type PurgeOptions,
  type StoredResponse,
} from '../../application/ports/idempotencyStore.js';
import { packResponse, samePayloadHash, unpackResponse } from '../idempotencyRecords.js';
import type { Queryable } from './db.js';
import { Params } from './projections.js';

interface RecordRow {
  payload_hash: string;
  response: Buffer | object | null;
  expires_at: string;
  lease_until: string;
}

/** Rounds of insert-then-read before a claim that keeps racing reports `in_progress`. */
const ROUNDS = 5;

/**
 * One statement decides the claim: the insert wins on a free key, and the
 * conflict branch takes the row over only when it is expired or its lease
 * lapsed. Row locks make exactly one of several parallel claims succeed; the
 * losers read the record that won.
 */
export async function claim(db: Queryable, request: ClaimRequest): Promise<ClaimResult> {
  const { scope, key, payloadHash, now, expiresAt, leaseUntil } = request;
  for (let round = 0; round < ROUNDS; round++) {
    const taken = await db.query(
      `INSERT INTO idempotency AS record (scope, key, payload_hash, response, expires_at, lease_until)
       VALUES ($1, $2, $3, NULL, $4, $5)
       ON CONFLICT (scope, key) DO UPDATE SET
         payload_hash = EXCLUDED.payload_hash, response = NULL, response_z = NULL,
         expires_at = EXCLUDED.expires_at, lease_until = EXCLUDED.lease_until
       WHERE record.expires_at <= $6 OR (record.response IS NULL AND record.response_z IS NULL AND record.lease_until <= $6)
       RETURNING 1`,
      [scope, key, payloadHash, expiresAt, leaseUntil, now],
    );
    if ((taken.rowCount ?? 0) > 0) return { outcome: 'claimed' };
    const found = await db.query<RecordRow>(
      `SELECT payload_hash, coalesce(response_z, convert_to(response::text, 'UTF8')) AS response, expires_at, lease_until
       FROM idempotency WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const record = found.rows[0];
    // Released (or purged) between the two statements: try the insert again.
    if (!record) continue;
    const live = Number(record.expires_at) > now && (record.response !== null || Number(record.lease_until) > now);
    if (!live) continue;
    if (!samePayloadHash(record.payload_hash, payloadHash)) return { outcome: 'mismatch' };
    if (record.response !== null) return { outcome: 'completed', response: unpackResponse(record.response) };
    return { outcome: 'in_progress' };
  }
  return { outcome: 'in_progress' };
}

export async function complete(db: Queryable, scope: string, key: string, response: StoredResponse): Promise<void> {
  const params = new Params();
  await db.query(completeStatement(params, { scope, key, response }), params.values);
}

/** The update that completes a claimed record, its values added to `params`: alone, or inside an append's statement. */
export function completeStatement(params: Params, { scope, key, response }: IdempotentAnswer): string {
  return `UPDATE idempotency SET response_z = ${params.add(packResponse(response))} WHERE scope = ${params.add(scope)} AND key = ${params.add(key)}`;
}

export async function release(db: Queryable, scope: string, key: string): Promise<void> {
  // Never an answer already kept: an append that committed may still have failed on its way back (see the port).
  await db.query('DELETE FROM idempotency WHERE scope = $1 AND key = $2 AND response IS NULL AND response_z IS NULL', [scope, key]);
}

/**
 * Deletes expired records in batches, each one short statement of its own (autocommit):
 * rows found through the expiry index, by ctid, skipping rows another transaction holds.
 */
export function purgeExpired(db: Queryable, now: number, options?: PurgeOptions): Promise<number> {
  return purgeInBatches(async (limit) => {
    const result = await db.query(
      `DELETE FROM idempotency WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM idempotency WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      [now, limit],
    );
    return result.rowCount ?? 0;
  }, options);
}
