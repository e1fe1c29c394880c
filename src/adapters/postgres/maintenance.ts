import type { Pool } from 'pg';
import type { MaintenanceJob, RebuildOptions, StoredEvent } from '../../application/ports/eventStore.js';
import { unfinishedJobError } from '../../application/maintenance/jobs.js';
import { runRebuild } from '../../application/maintenance/rebuild.js';
import { RefusedSeats } from '../../application/projections/seatClaims.js';
import { inTransaction, toNumber, type Queryable } from './db.js';
import { persistedForm, subjectKeys, type SubjectKeys } from './personalKeys.js';
import { AmbiguousRefusal, EVENT_COLUMNS, project, toStoredEvent, truncateProjections, type EventRow } from './projections.js';

export async function readAll(db: Queryable, afterPosition: number, limit: number): Promise<StoredEvent[]> {
  if (limit <= 0) return [];
  const result = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`, [
    afterPosition,
    limit,
  ]);
  return result.rows.map(toStoredEvent);
}

export async function readStream(db: Queryable, stream: string): Promise<StoredEvent[]> {
  const result = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = $1 ORDER BY version`, [stream]);
  return result.rows.map(toStoredEvent);
}

/** Events as one JSON array for `jsonb_to_recordset`, positions included, personal data sealed. */
function eventRows(events: readonly StoredEvent[], keys: SubjectKeys): string {
  return JSON.stringify(
    events.map((event) => ({
      position: event.position,
      stream: event.stream,
      version: event.version,
      type: event.type,
      ...persistedForm(event.data, keys),
      metadata: event.metadata,
      recorded_at: event.recordedAt,
    })),
  );
}

/**
 * Writes events as they were — positions, versions, times — and projects them,
 * in one transaction of a few statements whatever the batch size. Positions must
 * lie after everything already in the log, in ascending order. The position
 * sequence then continues after the last one imported.
 */
export async function importEvents(pool: Pool, events: readonly StoredEvent[]): Promise<void> {
  if (events.length === 0) return;
  await inTransaction(pool, async (client) => {
    // Appends wait until the import commits; reads go on.
    await client.query('LOCK TABLE events IN EXCLUSIVE MODE');
    const last = await client.query<{ position: string | null }>('SELECT max(position) AS position FROM events');
    let previous = toNumber(last.rows[0]?.position);
    for (const entry of events) {
      if (!Number.isSafeInteger(entry.position) || entry.position <= previous) {
        throw new Error(`cannot import event at position ${entry.position}: the log already reaches ${previous}`);
      }
      previous = entry.position;
    }
    const keys = await subjectKeys(
      client,
      events.map((event) => event.data),
    );
    await client.query(
      `INSERT INTO events (position, stream, version, type, data, metadata, recorded_at, subject)
       SELECT position, stream, version, type, data, metadata, recorded_at, subject FROM jsonb_to_recordset($1::jsonb)
         AS x(position bigint, stream text, version integer, type text, data jsonb, metadata jsonb, recorded_at bigint, subject text)
       ORDER BY position`,
      [eventRows(events, keys)],
    );
    try {
      await project(client, events);
    } catch (error) {
      if (!(error instanceof AmbiguousRefusal)) throw error;
      throw new Error('the import would double-book a table');
    }
    await client.query(`SELECT setval(pg_get_serial_sequence('events', 'position'), $1)`, [previous]);
  });
}

export async function lastPosition(db: Queryable): Promise<number> {
  const result = await db.query<{ position: string | null }>('SELECT max(position) AS position FROM events');
  return toNumber(result.rows[0]?.position);
}

interface JobRow {
  kind: MaintenanceJob['kind'];
  position: string;
  done: string;
  total: string;
}

export async function unfinishedJob(db: Queryable): Promise<MaintenanceJob | null> {
  const row = (await db.query<JobRow>('SELECT kind, position, done, total FROM maintenance_jobs LIMIT 1')).rows[0];
  return row ? { kind: row.kind, position: toNumber(row.position), done: toNumber(row.done), total: toNumber(row.total) } : null;
}

async function putJob(db: Queryable, job: MaintenanceJob): Promise<void> {
  await db.query(
    `INSERT INTO maintenance_jobs (kind, position, done, total) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind) DO UPDATE SET position = EXCLUDED.position, done = EXCLUDED.done, total = EXCLUDED.total`,
    [job.kind, job.position, job.done, job.total],
  );
}

export async function markRestore(db: Queryable, total: number | null): Promise<void> {
  if (total === null) await db.query(`DELETE FROM maintenance_jobs WHERE kind = 'restore'`);
  else await putJob(db, { kind: 'restore', position: 0, done: 0, total });
}

/** Readiness: one trivial read, which fails while a rebuild or restore is unfinished. */
export async function ping(db: Queryable): Promise<void> {
  const job = await unfinishedJob(db);
  if (job) throw unfinishedJobError(job);
}

/**
 * Empties every projection and replays the log into them in batches, one transaction
 * each, recording how far it came (see `runRebuild`). Each batch takes the events
 * table in SHARE mode, so an append under way finishes first and none starts during it.
 */
export function rebuildProjections(pool: Pool, options?: RebuildOptions): Promise<void> {
  return runRebuild(
    {
      job: () => unfinishedJob(pool),
      start: () =>
        inTransaction(pool, async (client) => {
          await client.query('LOCK TABLE events IN SHARE MODE');
          const count = await client.query<{ count: string }>('SELECT count(*) AS count FROM events');
          await truncateProjections(client);
          const job: MaintenanceJob = { kind: 'rebuild', position: 0, done: 0, total: toNumber(count.rows[0]?.count) };
          await putJob(client, job);
          return job;
        }),
      readAll: (after, limit) => readAll(pool, after, limit),
      commit: (events, next) =>
        inTransaction(pool, async (client) => {
          await client.query('LOCK TABLE events IN SHARE MODE');
          try {
            await project(client, events);
          } catch (error) {
            throw error instanceof AmbiguousRefusal ? new RefusedSeats(seatlessClaim(), []) : error;
          }
          if (next) await putJob(client, next);
          else await client.query(`DELETE FROM maintenance_jobs WHERE kind = 'rebuild'`);
        }),
    },
    options,
  );
}

/** A stand-in claim: during a rebuild a refusal only asks for a longer batch, and names nobody. */
function seatlessClaim() {
  return { holder: '', sectorId: '', tableIds: [], start: 0, end: 0 };
}
