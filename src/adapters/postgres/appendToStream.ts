import type { Pool } from 'pg';
import { StreamVersionConflict, type EventMetadata, type PendingEvent, type StoredEvent } from '../../application/ports/eventStore.js';
import { RefusedSeats } from '../../application/projections/seatClaims.js';
import { nextVersions, toStored } from '../streamVersions.js';
import type { IdempotentAnswer } from '../../application/ports/idempotencyStore.js';
import { inTransaction, pgError, SQLSTATE, toNumber, type Queryable } from './db.js';
import { complete, completeStatement } from './idempotency.js';
import { isErasedMeanwhile, liveKeysGuard, persistedForm, withoutErasedData, type KnownKeys, type SubjectKeys } from './personalKeys.js';
import {
  AmbiguousRefusal,
  foldForWrite,
  Params,
  project,
  projectionWrites,
  refusalOf,
  seatConflictOf,
  type ProjectionWrites,
} from './projections.js';

/** What is written with the events: their metadata and time, and the idempotency answer they make true, if any. */
interface Appending {
  metadata: EventMetadata;
  recordedAt: number;
  answer: IdempotentAnswer | undefined;
}

/**
 * Appends every event or none, and projects them. The database enforces both
 * invariants: `unique (stream, version)` and the exclusion constraint on
 * `booking_seats`; their violations come back as `StreamVersionConflict` and
 * `SeatConflict`. A deadlock or serialisation failure is a lost race too,
 * reported as `StreamVersionConflict`: the command handler decides again on
 * fresh state, under its one retry policy.
 *
 * Round trips: an append that only opens streams (a new booking) is one
 * statement — events, rows, revisions, seats and the idempotency answer — which
 * PostgreSQL runs atomically without BEGIN/COMMIT. Otherwise: BEGIN, the current versions, the
 * rows to evolve (one read per kind), the old seats' release, one statement, COMMIT.
 */
export async function appendToStream(
  pool: Pool,
  pending: readonly PendingEvent[],
  appending: Appending,
  known: KnownKeys,
): Promise<StoredEvent[]> {
  if (pending.length === 0) return [];
  const data = pending.map((item) => item.event.data);
  let keys = await known.of(pool, data);
  try {
    try {
      return await appendOnce(pool, withoutErasedData(pending, keys), appending, keys, false);
    } catch (error) {
      // Several claims and one was refused: again, claim by claim, to name it.
      if (error instanceof AmbiguousRefusal) return await appendOnce(pool, withoutErasedData(pending, keys), appending, keys, true);
      // A subject erased since its key was read: again, keeping none of its personal data.
      if (!isErasedMeanwhile(error)) throw error;
      known.forgetSubjectsOf(data);
      keys = await known.of(pool, data);
      return await appendOnce(pool, withoutErasedData(pending, keys), appending, keys, false);
    }
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

async function appendOnce(
  pool: Pool,
  pending: readonly PendingEvent[],
  appending: Appending,
  keys: SubjectKeys,
  oneByOne: boolean,
): Promise<StoredEvent[]> {
  const { metadata, recordedAt, answer } = appending;
  const opensOnly = pending.every((item) => item.expectedVersion === 'none');
  if (opensOnly && !oneByOne) {
    // Nothing to read first: a stream that already exists fails the unique (stream, version) insert.
    const stored = toStored(pending, checkVersions(pending, new Map()), metadata, recordedAt);
    const writes = await foldForWrite(pool, stored);
    if (writes.release.length === 0) return await insertAndProject(pool, stored, writes, keys, answer);
  }
  return inTransaction(pool, async (client) => {
    const versions = checkVersions(pending, opensOnly ? new Map() : await currentVersions(client, pending));
    const stored = toStored(pending, versions, metadata, recordedAt);
    if (oneByOne) {
      await insertEvents(client, stored, keys);
      await project(client, stored, { oneByOne: true });
      if (answer) await complete(client, answer.scope, answer.key, answer.response);
      return stored;
    }
    const writes = await foldForWrite(client, stored);
    if (writes.release.length > 0) await client.query('DELETE FROM booking_seats WHERE booking_id = ANY($1::text[])', [writes.release]);
    return insertAndProject(client, stored, writes, keys, answer);
  });
}

const INSERT_EVENTS = (
  rows: string,
  condition = 'true',
) => `INSERT INTO events (stream, version, type, data, metadata, recorded_at, subject)
  SELECT stream, version, type, data, metadata, recorded_at, subject FROM jsonb_to_recordset(${rows}::jsonb)
    AS x(stream text, version integer, type text, data jsonb, metadata jsonb, recorded_at bigint, subject text, n bigint)
  WHERE ${condition}
  ORDER BY n
  RETURNING position, stream, version`;

/** The event insert, its keys guarded (see `liveKeysGuard`), after the given WITH clauses. */
function insertStatement(params: Params, stored: readonly StoredEvent[], keys: SubjectKeys, clauses: readonly string[]): string {
  const guard = liveKeysGuard(params, stored, keys);
  const events = INSERT_EVENTS(params.add(eventRows(stored, keys)), guard?.condition);
  const all = guard ? [...clauses, guard.clause] : clauses;
  return all.length === 0 ? events : `WITH ${all.join(',\n')}\n${events}`;
}

/** The rows to insert, personal data sealed. */
function eventRows(stored: readonly StoredEvent[], keys: SubjectKeys): string {
  return JSON.stringify(
    stored.map((e, n) => ({
      n,
      stream: e.stream,
      version: e.version,
      type: e.type,
      ...persistedForm(e.data, keys),
      metadata: e.metadata,
      recorded_at: e.recordedAt,
    })),
  );
}

/** Sets each event's position from the rows the insert returned. */
function placeAt(stored: StoredEvent[], rows: readonly { position: string; stream: string; version: number }[]): StoredEvent[] {
  const at = new Map(rows.map((row) => [`${row.stream}\u0000${row.version}`, toNumber(row.position)]));
  for (const event of stored) event.position = at.get(`${event.stream}\u0000${event.version}`)!;
  return stored;
}

async function insertEvents(db: Queryable, stored: StoredEvent[], keys: SubjectKeys): Promise<void> {
  const params = new Params();
  const result = await db.query<{ position: string; stream: string; version: number }>(
    insertStatement(params, stored, keys, []),
    params.values,
  );
  placeAt(stored, result.rows);
}

/** One statement: the events (returning their positions), every projection write and the idempotency answer as WITH clauses. */
async function insertAndProject(
  db: Queryable,
  stored: StoredEvent[],
  writes: ProjectionWrites,
  keys: SubjectKeys,
  answer: IdempotentAnswer | undefined,
): Promise<StoredEvent[]> {
  const params = new Params();
  const projection = projectionWrites(writes).map((write, i) => `w${i} AS (${write(params)})`);
  if (answer) projection.push(`answered AS (${completeStatement(params, answer)})`);
  const text = insertStatement(params, stored, keys, projection);
  try {
    const result = await db.query<{ position: string; stream: string; version: number }>(text, params.values);
    return placeAt(stored, result.rows);
  } catch (error) {
    throw refusalOf(error, writes.changes);
  }
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
