import type { Pool, PoolClient } from 'pg';
import { StreamVersionConflict, type EventMetadata, type PendingEvent, type StoredEvent } from '../../application/ports/eventStore.js';
import { RefusedSeats } from '../../application/projections/seatClaims.js';
import { nextVersions } from '../streamVersions.js';
import { inTransaction, pgError, SQLSTATE, toNumber, type Queryable } from './db.js';
import { project, seatConflictOf } from './projections.js';

/**
 * Appends every event or none, and projects them, in one transaction. The
 * database enforces both invariants: `unique (stream, version)` and the
 * exclusion constraint on `booking_seats`; their violations come back as
 * `StreamVersionConflict` and `SeatConflict`. A deadlock or serialisation failure
 * is a lost race too, reported as `StreamVersionConflict`: the command handler
 * decides again on fresh state, under its one retry policy.
 */
export async function appendToStream(
  pool: Pool,
  pending: readonly PendingEvent[],
  metadata: EventMetadata,
  recordedAt: number,
): Promise<StoredEvent[]> {
  if (pending.length === 0) return [];
  try {
    return await inTransaction(pool, (client) => appendIn(client, pending, metadata, recordedAt));
  } catch (error) {
    if (error instanceof RefusedSeats) throw await seatConflictOf(pool, error);
    const fields = pgError(error);
    const lostRace =
      fields?.code === SQLSTATE.deadlockDetected ||
      fields?.code === SQLSTATE.serializationFailure ||
      (fields?.code === SQLSTATE.uniqueViolation && fields.constraint === 'events_stream_version_key');
    if (lostRace) throw await versionConflict(pool, pending);
    throw error;
  }
}

async function appendIn(
  client: PoolClient,
  pending: readonly PendingEvent[],
  metadata: EventMetadata,
  recordedAt: number,
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
    stored.push({
      position: toNumber(inserted.rows[0]!.position),
      stream,
      version,
      type: event.type,
      data: structuredClone(event.data),
      metadata: { ...metadata },
      recordedAt,
    });
  }
  await project(client, stored);
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

/** The real conflict on fresh versions; after a deadlock the versions may all still hold, which is a lost race all the same. */
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
