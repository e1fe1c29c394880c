import type { Pool, PoolClient } from 'pg';
import { overlaps } from '../../domain/time/interval.js';
import {
  SeatConflict,
  StreamVersionConflict,
  type EventMetadata,
  type PendingEvent,
  type StoredEvent,
} from '../../application/ports/eventStore.js';
import { nextVersions } from '../streamVersions.js';
import { inTransaction, pgError, SQLSTATE, toNumber, type Queryable } from './db.js';
import { flushSeats, newTrail, project, type ProjectionTrail, type SeatClaim } from './projections.js';

/** How often an append that lost a race (deadlock, version race) is tried again before giving up. */
const ATTEMPTS = 5;

/**
 * Appends every event or none, and projects them, in one transaction. The
 * database enforces both invariants: `unique (stream, version)` and the
 * exclusion constraint on `booking_seats`; their violations come back as
 * `StreamVersionConflict` and `SeatConflict`.
 */
export async function appendToStream(
  pool: Pool,
  pending: readonly PendingEvent[],
  metadata: EventMetadata,
  recordedAt: number,
): Promise<StoredEvent[]> {
  if (pending.length === 0) return [];
  for (let attempt = 1; ; attempt++) {
    const trail = newTrail();
    try {
      return await inTransaction(pool, (client) => appendIn(client, pending, metadata, recordedAt, trail));
    } catch (error) {
      if (error instanceof RefusedSeats) throw await seatConflict(pool, error, trail);
      const fields = pgError(error);
      const lostRace =
        fields?.code === SQLSTATE.deadlockDetected ||
        fields?.code === SQLSTATE.serializationFailure ||
        (fields?.code === SQLSTATE.uniqueViolation && fields.constraint === 'events_stream_version_key');
      if (!lostRace) throw error;
      // A concurrent append moved a stream on (or the two deadlocked): the next
      // attempt re-reads the versions and names the real conflict.
      if (attempt >= ATTEMPTS) throw await versionConflict(pool, pending);
    }
  }
}

async function appendIn(
  client: PoolClient,
  pending: readonly PendingEvent[],
  metadata: EventMetadata,
  recordedAt: number,
  trail: ProjectionTrail,
): Promise<StoredEvent[]> {
  const versions = checkVersions(pending, await currentVersions(client, pending));
  const stored: StoredEvent[] = [];
  for (const [index, { stream, event }] of pending.entries()) {
    const version = versions[index]!;
    const inserted = await client.query<{ position: string }>(
      `INSERT INTO events (stream, version, type, data, metadata, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING position`,
      [stream, version, event.type, JSON.stringify(event.data), JSON.stringify(metadata), recordedAt],
    );
    const entry: StoredEvent = {
      position: toNumber(inserted.rows[0]!.position),
      stream,
      version,
      type: event.type,
      data: structuredClone(event.data),
      metadata: { ...metadata },
      recordedAt,
    };
    await project(client, entry, trail);
    stored.push(entry);
  }
  try {
    await flushSeats(client, trail);
  } catch (error) {
    if (pgError(error)?.code === SQLSTATE.exclusionViolation && trail.attempted) throw new RefusedSeats(trail.attempted, error);
    throw error;
  }
  return stored;
}

async function currentVersions(db: Queryable, pending: readonly PendingEvent[]): Promise<Map<string, number>> {
  const names = [...new Set(pending.map((item) => item.stream))];
  const result = await db.query<{ stream: string; version: number }>(
    'SELECT stream, max(version) AS version FROM events WHERE stream = ANY($1::text[]) GROUP BY stream',
    [names],
  );
  return new Map(result.rows.map((row) => [row.stream, row.version]));
}

function checkVersions(pending: readonly PendingEvent[], current: Map<string, number>): number[] {
  return nextVersions(pending, (stream) => current.get(stream) ?? 0);
}

async function versionConflict(pool: Pool, pending: readonly PendingEvent[]): Promise<StreamVersionConflict> {
  try {
    checkVersions(pending, await currentVersions(pool, pending));
  } catch (error) {
    if (error instanceof StreamVersionConflict) return error;
    throw error;
  }
  const first = pending[0]!;
  return new StreamVersionConflict(first.stream, first.expectedVersion, first.expectedVersion === 'none' ? 0 : first.expectedVersion);
}

/** Raised inside the transaction; turned into a SeatConflict once it has rolled back. */
class RefusedSeats extends Error {
  constructor(
    readonly claim: SeatClaim,
    readonly reason: unknown,
  ) {
    super(`seats refused for ${claim.holder}`);
  }
}

/**
 * Names the table and the booking that took it. After the rollback the
 * conflicting booking is either committed (the exclusion check waited for it)
 * or one written earlier in this same append.
 */
async function seatConflict(pool: Pool, refused: RefusedSeats, trail: ProjectionTrail): Promise<SeatConflict> {
  const { claim } = refused;
  const result = await pool.query<{ table_id: string; booking_id: string }>(
    `SELECT table_id, booking_id FROM booking_seats
     WHERE table_id = ANY($1::text[]) AND during && int8range($2::bigint, $3::bigint) AND booking_id <> $4
     ORDER BY booking_id`,
    [claim.tableIds, claim.start, claim.end, claim.holder],
  );
  const committed = result.rows.filter((row) => !trail.released.has(row.booking_id));
  for (const tableId of claim.tableIds) {
    const row = committed.find((candidate) => candidate.table_id === tableId);
    if (row) return new SeatConflict(tableId, row.booking_id);
    const earlier = trail.seated.find(
      (other) => other.holder !== claim.holder && other.tableIds.includes(tableId) && overlaps(other, claim),
    );
    if (earlier) return new SeatConflict(tableId, earlier.holder);
  }
  // The holder was cancelled between the refusal and this look-up: name the table at least.
  const detail = pgError(refused.reason)?.detail ?? '';
  const tableId = /\(table_id, during\)=\((.*?), [[(]/.exec(detail)?.[1] ?? claim.tableIds[0] ?? '';
  return new SeatConflict(tableId, 'unknown');
}
