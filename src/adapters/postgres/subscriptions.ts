import type { CommittedRead, LeaseClaim, LogCursor } from '../../application/ports/eventSubscriptions.js';
import type { Queryable } from './db.js';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './projections.js';

/**
 * Durable subscriptions on PostgreSQL. Positions come from a sequence, so they
 * are handed out in one order and committed in another: a reader that kept only
 * "the last position seen" could pass over a lower position whose transaction
 * commits later. Instead every event row carries the id of the transaction that
 * wrote it, and readers take only rows whose transaction id lies below the
 * snapshot's xmin, the oldest transaction still running. Below that horizon every
 * transaction has ended, and any transaction that has not yet written will get an
 * id at or above it, so no row can ever appear behind a cursor taken from there.
 * The committed order is then (transaction id, position).
 *
 * The price: a long write transaction anywhere in the cluster holds the horizon
 * back, which delays readers but never makes them skip. A restore that copies
 * `transaction_id` from another cluster (pg_dump) would break the order; the
 * JSONL restore (`importEvents`) inserts afresh and gets this cluster's ids.
 */

interface CursorParts {
  transactionId: string;
  position: string;
}

/** "<transaction id>:<position>"; both decimal. */
function encodeCursor(transactionId: string, position: string | number): LogCursor {
  return `${transactionId}:${position}`;
}

export function decodeCursor(cursor: LogCursor): CursorParts {
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) throw new Error(`not a PostgreSQL log cursor: "${cursor}"`);
  return { transactionId: match[1]!, position: match[2]! };
}

/** Before every real row: transaction id 0 is never assigned. */
const LOG_START: CursorParts = { transactionId: '0', position: '0' };

const BELOW_HORIZON = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * A subscriber's read ($1, $2: the cursor; $3: the page), one statement, so that
 * the horizon, the rows and whether any committed row was held back all come from
 * the same snapshot: a row at or above the horizon that this snapshot sees has
 * committed, behind a transaction still running. The flag's row is there even when
 * no event is, hence the outer join. The id goes out as text under another name:
 * ORDER BY a bare output name would sort the text ('10' < '9').
 */
export const READ_COMMITTED = `SELECT held.back AS held_back, page.*
     FROM (SELECT EXISTS (SELECT 1 FROM events WHERE NOT (${BELOW_HORIZON})) AS back) AS held
     LEFT JOIN LATERAL (
       SELECT transaction_id AS commit_order, transaction_id::text AS xid, ${EVENT_COLUMNS}
       FROM events
       WHERE ${BELOW_HORIZON} AND (transaction_id, position) > ($1::xid8, $2::bigint)
       ORDER BY events.transaction_id, events.position
       LIMIT $3
     ) AS page ON true
     ORDER BY page.commit_order, page.position`;

export async function readCommitted(db: Queryable, after: LogCursor | null, limit: number): Promise<CommittedRead> {
  if (limit <= 0) return { events: [], heldBack: false };
  const from = after === null ? LOG_START : decodeCursor(after);
  // Every row carries the flag; the one row of a page with no event has nothing else (xid null).
  const result = await db.query<EventRow & { held_back: boolean; xid: string | null }>(READ_COMMITTED, [
    from.transactionId,
    from.position,
    limit,
  ]);
  const heldBack = result.rows[0]?.held_back === true;
  const events = result.rows
    .filter((row) => row.xid !== null)
    .map((row) => ({ ...toStoredEvent(row), cursor: encodeCursor(row.xid!, row.position) }));
  return { events, heldBack };
}

export async function committedEnd(db: Queryable): Promise<LogCursor | null> {
  const result = await db.query<{ xid: string; position: string }>(
    `SELECT transaction_id::text AS xid, position FROM events
     WHERE ${BELOW_HORIZON}
     ORDER BY events.transaction_id DESC, events.position DESC
     LIMIT 1`,
  );
  const row = result.rows[0];
  return row ? encodeCursor(row.xid, row.position) : null;
}

interface CheckpointRow {
  transaction_id: string | null;
  position: string | null;
}

function checkpointFrom(row: CheckpointRow): LogCursor | null {
  return row.transaction_id === null || row.position === null ? null : encodeCursor(row.transaction_id, row.position);
}

/**
 * One statement: creates the subscription with the lease, or takes the lease when
 * it is ours, free or expired. Two claims at once queue on the row, and the
 * second sees the first one's owner, so only one of them gets a row back.
 */
export async function claimLease(
  db: Queryable,
  name: string,
  owner: string,
  now: number,
  leaseMs: number,
  startAt: LogCursor | null,
): Promise<LeaseClaim> {
  const start = startAt === null ? null : decodeCursor(startAt);
  const result = await db.query<CheckpointRow>(
    `INSERT INTO subscriptions AS s (name, checkpoint_transaction_id, checkpoint_position, owner, lease_until, updated_at)
     VALUES ($1, $2::xid8, $3::bigint, $4, $5::bigint, now())
     ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, updated_at = now()
       WHERE s.owner = EXCLUDED.owner OR s.owner IS NULL OR s.lease_until <= $6::bigint
     RETURNING s.checkpoint_transaction_id::text AS transaction_id, s.checkpoint_position::text AS position`,
    [name, start?.transactionId ?? null, start?.position ?? null, owner, now + leaseMs, now],
  );
  const row = result.rows[0];
  return row ? { held: true, checkpoint: checkpointFrom(row) } : { held: false };
}

/**
 * Renews the lease and moves the checkpoint, only forward (the pair comparison is
 * done by PostgreSQL). Owning the row is enough: while nobody else has taken the
 * lease over, whatever the holder did since is still the only delivery.
 */
export async function saveCheckpoint(
  db: Queryable,
  name: string,
  owner: string,
  cursor: LogCursor,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const { transactionId, position } = decodeCursor(cursor);
  const ahead = `(checkpoint_position IS NULL OR (checkpoint_transaction_id, checkpoint_position) < ($3::xid8, $4::bigint))`;
  const result = await db.query(
    `UPDATE subscriptions SET
       checkpoint_transaction_id = CASE WHEN ${ahead} THEN $3::xid8 ELSE checkpoint_transaction_id END,
       checkpoint_position = CASE WHEN ${ahead} THEN $4::bigint ELSE checkpoint_position END,
       lease_until = $5::bigint,
       updated_at = now()
     WHERE name = $1 AND owner = $2`,
    [name, owner, transactionId, position, now + leaseMs],
  );
  return result.rowCount === 1;
}

export async function releaseLease(db: Queryable, name: string, owner: string): Promise<void> {
  await db.query(`UPDATE subscriptions SET owner = NULL, lease_until = 0, updated_at = now() WHERE name = $1 AND owner = $2`, [
    name,
    owner,
  ]);
}

export async function checkpointOf(db: Queryable, name: string): Promise<LogCursor | null> {
  const result = await db.query<CheckpointRow>(
    `SELECT checkpoint_transaction_id::text AS transaction_id, checkpoint_position::text AS position
     FROM subscriptions WHERE name = $1`,
    [name],
  );
  const row = result.rows[0];
  return row ? checkpointFrom(row) : null;
}
