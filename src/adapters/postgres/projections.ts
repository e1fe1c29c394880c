import { openedData, SUBJECT_KEY_COLUMN } from './personalKeys.js';
import type { SeatConflict, StoredEvent } from '../../application/ports/eventStore.js';
import { foldEventsAsync, ProjectionBatch, type ProjectedRow, type Subject } from '../../application/projections/projectionBatch.js';
import { nameSeatConflict, RefusedSeats, type HeldSeat, type SeatChange } from '../../application/projections/seatClaims.js';
import { freshHolders } from '../freshHolders.js';
import { pgError, SQLSTATE, toNumber, type Queryable } from './db.js';

const LOADS: Record<Subject['kind'], string> = {
  booking: 'SELECT id, data FROM bookings WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
  blackout: 'SELECT id, data FROM blackouts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
  waitlistEntry: 'SELECT id, data FROM waitlist WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
};

/** Parameters of one statement, numbered as they are added, so that several writes can share a statement. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A data-modifying statement, written against the shared parameters. */
export type Write = (params: Params) => string;

/**
 * One upsert per row kind for the whole batch: the rows travel as one JSON array.
 * Each row appears once in a batch (`takeRows`), as ON CONFLICT DO UPDATE requires.
 */
const UPSERTS: {
  [K in ProjectedRow['kind']]: { sql: (rows: string) => string; row: (row: Extract<ProjectedRow, { kind: K }>) => object };
} = {
  restaurant: {
    sql: (rows) => `INSERT INTO restaurants (id, version, data)
      SELECT id, version, data FROM jsonb_to_recordset(${rows}::jsonb) AS x(id text, version integer, data jsonb)
      ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data`,
    row: ({ value, version }) => ({ id: value.id, version, data: value }),
  },
  sector: {
    sql: (rows) => `INSERT INTO sectors (id, restaurant_id, version, data)
      SELECT id, restaurant_id, version, data FROM jsonb_to_recordset(${rows}::jsonb)
        AS x(id text, restaurant_id text, version integer, data jsonb)
      ON CONFLICT (id) DO UPDATE SET restaurant_id = EXCLUDED.restaurant_id, version = EXCLUDED.version, data = EXCLUDED.data`,
    row: ({ value, version }) => ({ id: value.id, restaurant_id: value.restaurantId, version, data: value }),
  },
  table: {
    sql: (rows) => `INSERT INTO tables (id, sector_id, version, data)
      SELECT id, sector_id, version, data FROM jsonb_to_recordset(${rows}::jsonb) AS x(id text, sector_id text, version integer, data jsonb)
      ON CONFLICT (id) DO UPDATE SET sector_id = EXCLUDED.sector_id, version = EXCLUDED.version, data = EXCLUDED.data`,
    row: ({ value, version }) => ({ id: value.id, sector_id: value.sectorId, version, data: value }),
  },
  booking: {
    sql: (rows) => `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
      SELECT id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data FROM jsonb_to_recordset(${rows}::jsonb)
        AS x(id text, restaurant_id text, sector_id text, date text, status text, start_ms bigint, end_ms bigint, version integer, data jsonb)
      ON CONFLICT (id) DO UPDATE SET
        restaurant_id = EXCLUDED.restaurant_id, sector_id = EXCLUDED.sector_id, date = EXCLUDED.date,
        status = EXCLUDED.status, start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms,
        version = EXCLUDED.version, data = EXCLUDED.data`,
    row: ({ value: b, version }) => ({
      id: b.id,
      restaurant_id: b.restaurantId,
      sector_id: b.sectorId,
      date: b.date,
      status: b.status,
      start_ms: b.start,
      end_ms: b.end,
      version,
      data: b,
    }),
  },
  blackout: {
    sql: (rows) => `INSERT INTO blackouts (id, sector_id, status, start_ms, end_ms, version, data)
      SELECT id, sector_id, status, start_ms, end_ms, version, data FROM jsonb_to_recordset(${rows}::jsonb)
        AS x(id text, sector_id text, status text, start_ms bigint, end_ms bigint, version integer, data jsonb)
      ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms,
        version = EXCLUDED.version, data = EXCLUDED.data`,
    row: ({ value: b, version }) => ({
      id: b.id,
      sector_id: b.sectorId,
      status: b.status,
      start_ms: b.start,
      end_ms: b.end,
      version,
      data: b,
    }),
  },
  waitlistEntry: {
    sql: (rows) => `INSERT INTO waitlist (id, sector_id, status, created_at, version, data)
      SELECT id, sector_id, status, created_at, version, data FROM jsonb_to_recordset(${rows}::jsonb)
        AS x(id text, sector_id text, status text, created_at bigint, version integer, data jsonb)
      ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, version = EXCLUDED.version, data = EXCLUDED.data`,
    row: ({ value: e, version }) => ({ id: e.id, sector_id: e.sectorId, status: e.status, created_at: e.createdAt, version, data: e }),
  },
};

/** What a run of events asks of the projections, folded, with the rows it evolves loaded in one read per kind. */
export interface ProjectionWrites {
  rows: ProjectedRow[];
  sectors: string[];
  changes: SeatChange[];
  /** Holders whose old seat rows must go first (a separate statement: it must run before the inserts). */
  release: string[];
}

/**
 * Folds the events; the rows they evolve are read FOR UPDATE first (one statement per
 * kind, in id order), so two appends about one booking queue rather than overwrite each other.
 */
export async function foldForWrite(db: Queryable, events: readonly StoredEvent[]): Promise<ProjectionWrites> {
  const probe = new ProjectionBatch();
  const wanted = new Map<Subject['kind'], Set<string>>();
  for (const event of events) {
    const subject = probe.needs(event);
    if (subject) (wanted.get(subject.kind) ?? wanted.set(subject.kind, new Set()).get(subject.kind)!).add(subject.id);
  }
  const loaded = new Map<string, unknown>();
  for (const [kind, ids] of wanted) {
    const result = await db.query<{ id: string; data: unknown }>(LOADS[kind], [[...ids].sort()]);
    for (const row of result.rows) loaded.set(`${kind}\u0000${row.id}`, row.data);
  }
  const batch = new ProjectionBatch();
  await foldEventsAsync(batch, events, async (subject) => (loaded.get(`${subject.kind}\u0000${subject.id}`) ?? null) as never);
  const changes = batch.takeSeatChanges();
  const fresh = freshHolders(events);
  return {
    rows: batch.takeRows(),
    // Sorted, so that two transactions bumping the same sectors queue instead of deadlocking.
    sectors: batch.takeChangedSectors().sort(),
    changes,
    release: changes.map((change) => change.holder).filter((holder) => !fresh.has(holder)),
  };
}

/** The writes that may share one statement: one upsert per row kind, the revisions, and every seat claim. */
export function projectionWrites(writes: ProjectionWrites): Write[] {
  const out: Write[] = [];
  const byKind = new Map<ProjectedRow['kind'], object[]>();
  for (const row of writes.rows) {
    const upsert = UPSERTS[row.kind] as { row: (row: ProjectedRow) => object };
    (byKind.get(row.kind) ?? byKind.set(row.kind, []).get(row.kind)!).push(upsert.row(row));
  }
  for (const [kind, rows] of byKind) out.push((params) => UPSERTS[kind].sql(params.add(JSON.stringify(rows))));
  if (writes.sectors.length > 0) {
    out.push(
      (params) => `INSERT INTO sector_revisions (sector_id, revision) SELECT unnest(${params.add(writes.sectors)}::text[]), 1
        ON CONFLICT (sector_id) DO UPDATE SET revision = sector_revisions.revision + 1`,
    );
  }
  const seats = seatRows(writes.changes);
  if (seats.length > 0) {
    out.push(
      (params) => `INSERT INTO booking_seats (booking_id, table_id, sector_id, during)
        SELECT h, t, s, int8range(a, b) FROM jsonb_to_recordset(${params.add(JSON.stringify(seats))}::jsonb)
          AS x(h text, t text, s text, a bigint, b bigint)`,
    );
  }
  return out;
}

/** Every claimed seat, sorted by table, so that two transactions seating the same tables queue instead of deadlocking. */
function seatRows(changes: readonly SeatChange[]): { h: string; t: string; s: string; a: number; b: number }[] {
  const rows = [];
  for (const { claim } of changes) {
    if (!claim) continue;
    for (const table of new Set(claim.tableIds)) rows.push({ h: claim.holder, t: table, s: claim.sectorId, a: claim.start, b: claim.end });
  }
  return rows.sort((x, y) => (x.t < y.t ? -1 : x.t > y.t ? 1 : x.h < y.h ? -1 : x.h > y.h ? 1 : 0));
}

/** Joins writes into one statement: all but the last as data-modifying WITH clauses. */
function joinWrites(writes: readonly Write[], params: Params): string {
  const texts = writes.map((write) => write(params));
  if (texts.length <= 1) return texts[0] ?? 'SELECT 1';
  return `WITH ${texts
    .slice(0, -1)
    .map((text, index) => `w${index} AS (${text})`)
    .join(',\n')}\n${texts.at(-1)}`;
}

/**
 * The seats were refused and the statement claimed for several holders: which claim
 * it was is found by writing the claims one by one (see `project`'s `oneByOne`).
 */
export class AmbiguousRefusal extends Error {
  constructor() {
    super('seats refused for one of several claims');
    this.name = 'AmbiguousRefusal';
  }
}

/** Turns an exclusion violation of a joined statement into `RefusedSeats` when one claim could be it. */
export function refusalOf(error: unknown, changes: readonly SeatChange[]): unknown {
  if (pgError(error)?.code !== SQLSTATE.exclusionViolation) return error;
  const claims = changes.filter((change) => change.claim !== null);
  return claims.length === 1 ? new RefusedSeats(claims[0]!.claim!, changes) : new AmbiguousRefusal();
}

/**
 * Projects one append, import or replay batch on the caller's transaction: the old seats
 * of changed holders go, then every row, revision and seat is written in one statement.
 * With `oneByOne`, the seats are claimed one holder at a time, so that a refusal names its claim.
 */
export async function project(db: Queryable, events: readonly StoredEvent[], options: { oneByOne?: boolean } = {}): Promise<void> {
  const writes = await foldForWrite(db, events);
  if (writes.release.length > 0) await db.query('DELETE FROM booking_seats WHERE booking_id = ANY($1::text[])', [writes.release]);
  const params = new Params();
  if (options.oneByOne) {
    const text = joinWrites(projectionWrites({ ...writes, changes: [] }), params);
    await db.query(text, params.values);
    await writeSeatsOneByOne(db, writes.changes);
    return;
  }
  const text = joinWrites(projectionWrites(writes), params);
  try {
    await db.query(text, params.values);
  } catch (error) {
    throw refusalOf(error, writes.changes);
  }
}

/** Claims seats holder by holder; a refusal (23P01) is raised as `RefusedSeats` naming the claim. */
async function writeSeatsOneByOne(db: Queryable, changes: readonly SeatChange[]): Promise<void> {
  for (const { claim } of changes) {
    if (!claim) continue;
    const params = new Params();
    const text = joinWrites(projectionWrites({ rows: [], sectors: [], changes: [{ holder: claim.holder, claim }], release: [] }), params);
    try {
      await db.query(text, params.values);
    } catch (error) {
      if (pgError(error)?.code === SQLSTATE.exclusionViolation) throw new RefusedSeats(claim, changes);
      throw error;
    }
  }
}

/**
 * Names the table and the holder that took it, once the refused transaction has
 * rolled back: a committed seat (the exclusion check waited for it) or a claim
 * made earlier in the same batch.
 */
export async function seatConflictOf(db: Queryable, refused: RefusedSeats): Promise<SeatConflict> {
  const { claim, changes } = refused;
  const result = await db.query<{ holder: string; tableId: string; start: string; end: string }>(
    `SELECT booking_id AS holder, table_id AS "tableId", lower(during) AS start, upper(during) AS "end" FROM booking_seats
     WHERE table_id = ANY($1::text[]) AND during && int8range($2::bigint, $3::bigint) AND booking_id <> $4
     ORDER BY booking_id, table_id`,
    [claim.tableIds, claim.start, claim.end, claim.holder],
  );
  const held: HeldSeat[] = result.rows.map((row) => ({ ...row, start: toNumber(row.start), end: toNumber(row.end) }));
  return nameSeatConflict(claim, changes, held);
}

/** Empties every projection, seat rows included. */
export async function truncateProjections(db: Queryable): Promise<void> {
  // Revisions only ever grow, even across a rebuild, so that no cached answer outlives it.
  await db.query('TRUNCATE restaurants, sectors, tables, bookings, booking_seats, blackouts, waitlist');
  await db.query('UPDATE sector_revisions SET revision = revision + 1000000');
}

export interface EventRow {
  position: string;
  stream: string;
  version: number;
  type: StoredEvent['type'];
  data: StoredEvent['data'];
  metadata: StoredEvent['metadata'];
  recorded_at: string;
  subject: string | null;
  subject_key: Buffer | null;
}

/** An event's columns, and the key that opens its personal data (none once its subject was erased). */
export const EVENT_COLUMNS = `position, stream, version, type, data, metadata, recorded_at, subject, ${SUBJECT_KEY_COLUMN}`;

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: toNumber(row.position),
    stream: row.stream,
    version: row.version,
    type: row.type,
    data: openedData(row.data, row.subject_key, row.subject),
    metadata: row.metadata,
    recordedAt: toNumber(row.recorded_at),
  };
}
