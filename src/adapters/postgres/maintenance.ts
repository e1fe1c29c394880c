import type { Pool } from 'pg';
import type { StoredEvent } from '../../application/ports/eventStore.js';
import { inTransaction, toNumber, type Queryable } from './db.js';
import { ProjectionBatch } from '../../application/projections/projectionBatch.js';
import { EVENT_COLUMNS, project, projectRows, toStoredEvent, truncateProjections, writeSeats, type EventRow } from './projections.js';

/** Events replayed per read while rebuilding. */
const REPLAY_PAGE = 1000;

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

/**
 * Writes events as they were — positions, versions, times — and projects them,
 * in one transaction. Positions must lie after everything already in the log
 * (an empty log, or the previous batch of the same restore), in ascending order.
 * The position sequence then continues after the last one imported.
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
      await client.query(
        `INSERT INTO events (position, stream, version, type, data, metadata, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          entry.position,
          entry.stream,
          entry.version,
          entry.type,
          JSON.stringify(entry.data),
          JSON.stringify(entry.metadata),
          entry.recordedAt,
        ],
      );
    }
    await project(client, events);
    await client.query(`SELECT setval(pg_get_serial_sequence('events', 'position'), $1)`, [previous]);
  });
}

/**
 * Empties every projection and replays the log into them in position order, in
 * one transaction: readers wait for it rather than see a half-built projection, and
 * appends wait for it.
 */
export async function rebuildProjections(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    // Before touching the projections, so that an append already under way finishes first.
    await client.query('LOCK TABLE events IN SHARE MODE');
    await truncateProjections(client);
    // Seats are written once, as the whole log leaves them.
    const batch = new ProjectionBatch();
    let after = 0;
    for (;;) {
      const page = await readAll(client, after, REPLAY_PAGE);
      await projectRows(client, batch, page);
      const last = page.at(-1);
      if (!last || page.length < REPLAY_PAGE) break;
      after = last.position;
    }
    await writeSeats(client, batch.takeSeatChanges());
  });
}
