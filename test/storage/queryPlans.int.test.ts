import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_SEAT_MS } from '../../src/application/ports/readModel.js';
import { SEAT_OVERLAP_CHECK } from '../../src/adapters/sqlite/migrations.js';
import { SQLITE_HOT_QUERIES } from '../../src/adapters/sqlite/readModel.js';
import { SqliteStore } from '../../src/adapters/sqlite/sqliteStore.js';
import { openPostgresStore } from '../../src/adapters/postgres/openPostgresStore.js';
import { POSTGRES_HOT_QUERIES } from '../../src/adapters/postgres/readModel.js';
import type { PostgresStore } from '../../src/adapters/postgres/store.js';
import { READ_COMMITTED } from '../../src/adapters/postgres/subscriptions.js';
import { POSTGRES_URL, postgresAvailable } from '../support/services.js';

/**
 * The hot queries' plans, read from each store's planner over tables large enough for
 * a scan to cost something: every one must reach its rows through the index meant for
 * it, bounded by owner and time, and never scan a large table. Each suite also drops an
 * index and checks that the plan check then fails, so that it cannot pass by accident.
 */

const DAY_MS = 86_400_000;
const SECTORS = 100;
const TABLES = 10;
const DAYS = 40;
/** Day 30 of the history, 20:00 UTC: what a discover or create asks for. */
const SPAN = { start: 30 * DAY_MS + 20 * 3_600_000, end: 31 * DAY_MS };
const LARGE_TABLES = ['booking_seats', 'bookings', 'blackouts', 'waitlist', 'events'];

type Expectation = { uses: string[] };

const EXPECTED_SQLITE: Record<keyof typeof SQLITE_HOT_QUERIES | 'overlapTrigger', Expectation> = {
  seatBlocks: {
    uses: [
      'booking_seats_by_sector (sector_id=? AND start_ms>? AND start_ms<?)',
      'booking_seats_long_by_sector (sector_id=? AND end_ms>?)',
    ],
  },
  blackoutsOfSector: {
    uses: ['blackouts_by_sector (sector_id=? AND start_ms>? AND start_ms<?)', 'blackouts_long_by_sector (sector_id=? AND end_ms>?)'],
  },
  bookingsOfDay: { uses: ['bookings_by_day (sector_id=? AND date=?)'] },
  waitingEntries: { uses: ['waitlist_waiting (sector_id=? AND <expr>>?)'] },
  sectorsWithWaiting: { uses: ['waitlist_waiting_dates (<expr>>?)'] },
  expiredHolds: { uses: ['bookings_holds_due (<expr><?)'] },
  dueNoShows: { uses: ['bookings_no_shows_due (<expr><?)'] },
  // One step down the primary key, backwards from the new row's end (see SEAT_OVERLAP_CHECK).
  overlapTrigger: { uses: ['sqlite_autoindex_booking_seats_1 (table_id=? AND start_ms<?)'] },
};

/** What is wrong with a SQLite plan: a scan of a large table, or an expected index range not used. */
function sqliteProblems(details: string[], expectation: Expectation): string[] {
  const problems = details.filter((line) => LARGE_TABLES.some((table) => line.startsWith(`SCAN ${table}`))).map((line) => `scan: ${line}`);
  for (const use of expectation.uses)
    if (!details.some((line) => line.startsWith('SEARCH') && line.includes(`INDEX ${use}`))) problems.push(`missing: ${use}`);
  return problems;
}

describe('SQLite: the hot queries read through their indexes', () => {
  let dir: string;
  let db: BetterSqlite3.Database;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wokibrain-plans-'));
    const file = join(dir, 'wokibrain.sqlite');
    await SqliteStore.open(file).close();
    db = new BetterSqlite3(file);
    const seat = db.prepare('INSERT INTO booking_seats (booking_id, table_id, sector_id, start_ms, end_ms) VALUES (?, ?, ?, ?, ?)');
    const booking = db.prepare(
      `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)`,
    );
    const blackout = db.prepare(
      `INSERT INTO blackouts (id, sector_id, status, start_ms, end_ms, version, data) VALUES (?, ?, ?, ?, ?, 1, '{}')`,
    );
    const entry = db.prepare(`INSERT INTO waitlist (id, sector_id, status, created_at, version, data) VALUES (?, ?, ?, ?, 1, '{}')`);
    db.transaction(() => {
      for (let s = 0; s < SECTORS; s++)
        for (let d = 0; d < DAYS; d++) {
          blackout.run(`X${s}-${d}`, `S${s}`, d % 2 ? 'ACTIVE' : 'LIFTED', d * DAY_MS, d * DAY_MS + 3_600_000);
          entry.run(`W${s}-${d}`, `S${s}`, d === DAYS - 1 ? 'WAITING' : 'BOOKED', d * DAY_MS);
          for (let t = 0; t < TABLES; t++) {
            const start = d * DAY_MS + (12 + t) * 3_600_000;
            const id = `B${s}-${d}-${t}`;
            const pending = t === 0 && d === DAYS - 1;
            booking.run(
              id,
              `R${s}`,
              `S${s}`,
              `D${d}`,
              pending ? 'PENDING' : 'CONFIRMED',
              start,
              start + 5_400_000,
              JSON.stringify(pending ? { holdExpiresAt: start } : {}),
            );
            seat.run(id, `T${s}-${t}`, `S${s}`, start, start + 5_400_000);
          }
        }
    })();
    db.exec('ANALYZE');
  });

  afterAll(async () => {
    db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const params = {
    sectorId: 'S7',
    start: SPAN.start,
    end: SPAN.end,
    floor: SPAN.start - LONG_SEAT_MS,
    date: 'D30',
    restaurantId: 'R7',
    now: SPAN.start,
    limit: 100,
    fromDate: 'D30',
  };
  const overlapProbe = `SELECT 1 WHERE ${SEAT_OVERLAP_CHECK.replaceAll('NEW.', '@new_')}`;

  function plan(sql: string, values: Record<string, unknown>): string[] {
    const named = Object.fromEntries(Object.entries(values).filter(([key]) => new RegExp(`@${key}\\b`).test(sql)));
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(named) as { detail: string }[]).map((row) => row.detail);
  }

  function planOf(name: keyof typeof EXPECTED_SQLITE): string[] {
    return name === 'overlapTrigger'
      ? plan(overlapProbe, { new_table_id: 'T7-3', new_start_ms: SPAN.start, new_end_ms: SPAN.end })
      : plan(SQLITE_HOT_QUERIES[name], params);
  }

  it.each(Object.keys(EXPECTED_SQLITE) as (keyof typeof EXPECTED_SQLITE)[])('%s', (name) => {
    const details = planOf(name);
    expect(sqliteProblems(details, EXPECTED_SQLITE[name]), details.join('\n')).toEqual([]);
  });

  it('answers the same rows as an unbounded read', () => {
    const ids = (rows: unknown[]) => (rows as { booking_id: string }[]).map((row) => row.booking_id).sort();
    const bounded = ids(db.prepare(SQLITE_HOT_QUERIES.seatBlocks).all(params));
    const unbounded = db.prepare('SELECT booking_id FROM booking_seats WHERE sector_id = ? AND start_ms < ? AND end_ms > ?');
    expect(bounded).toHaveLength(3);
    expect(bounded).toEqual(ids(unbounded.all('S7', SPAN.end, SPAN.start)));
  });

  it('fails the check when an index is missing', () => {
    db.exec('DROP INDEX bookings_holds_due');
    try {
      expect(sqliteProblems(planOf('expiredHolds'), EXPECTED_SQLITE.expiredHolds)).toContain('scan: SCAN bookings');
    } finally {
      db.exec(`CREATE INDEX bookings_holds_due ON bookings (json_extract(data, '$.holdExpiresAt'), id) WHERE status = 'PENDING'`);
    }
    expect(sqliteProblems(planOf('expiredHolds'), EXPECTED_SQLITE.expiredHolds)).toEqual([]);
  });
});

interface PgPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PgPlanNode[];
}

const EXPECTED_POSTGRES: Record<keyof typeof POSTGRES_HOT_QUERIES, Expectation> = {
  seatBlocks: { uses: ['booking_seats_by_sector'] },
  tablesAndSeatBlocks: { uses: ['booking_seats_by_sector'] },
  restaurantSectorAndSeats: { uses: ['booking_seats_by_sector'] },
  blackoutsOfSector: { uses: ['blackouts_active_by_span'] },
  bookingsOfDay: { uses: ['bookings_by_day'] },
  waitingEntries: { uses: ['waitlist_waiting'] },
  sectorsWithWaiting: { uses: ['waitlist_waiting'] },
  expiredHolds: { uses: ['bookings_holds_due'] },
  dueNoShows: { uses: ['bookings_no_shows_due'] },
};

function postgresProblems(root: PgPlanNode, expectation: Expectation): string[] {
  const nodes: PgPlanNode[] = [];
  const walk = (node: PgPlanNode) => {
    nodes.push(node);
    node.Plans?.forEach(walk);
  };
  walk(root);
  const problems = nodes
    .filter((node) => node['Node Type'] === 'Seq Scan' && LARGE_TABLES.includes(node['Relation Name'] ?? ''))
    .map((node) => `scan: ${node['Relation Name']}`);
  for (const index of expectation.uses) if (!nodes.some((node) => node['Index Name'] === index)) problems.push(`missing: ${index}`);
  return problems;
}

const pgAvailable = await postgresAvailable();

describe.runIf(pgAvailable)('PostgreSQL: the hot queries read through their indexes', () => {
  const schema = `wokibrain_test_${randomBytes(6).toString('hex')}`;
  let store: PostgresStore;

  beforeAll(async () => {
    store = await openPostgresStore({ connectionString: POSTGRES_URL, schema });
    await store.pool.query(
      `INSERT INTO booking_seats (booking_id, table_id, sector_id, during)
       SELECT 'B' || s || '-' || d || '-' || t, 'T' || s || '-' || t, 'S' || s,
              int8range(d * $1::bigint + (12 + t) * 3600000, d * $1::bigint + (12 + t) * 3600000 + 5400000)
       FROM generate_series(0, $2 - 1) s, generate_series(0, $3 - 1) d, generate_series(0, $4 - 1) t`,
      [DAY_MS, SECTORS, DAYS, TABLES],
    );
    await store.pool.query(
      `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
       SELECT 'B' || s || '-' || d || '-' || t, 'R' || s, 'S' || s, 'D' || d,
              CASE WHEN t = 0 AND d = $3 - 1 THEN 'PENDING' ELSE 'CONFIRMED' END,
              d * $1::bigint + (12 + t) * 3600000, d * $1::bigint + (12 + t) * 3600000 + 5400000, 1,
              CASE WHEN t = 0 AND d = $3 - 1 THEN jsonb_build_object('holdExpiresAt', d * $1::bigint) ELSE '{}'::jsonb END
       FROM generate_series(0, $2 - 1) s, generate_series(0, $3 - 1) d, generate_series(0, $4 - 1) t`,
      [DAY_MS, SECTORS, DAYS, TABLES],
    );
    await store.pool.query(
      `INSERT INTO blackouts (id, sector_id, status, start_ms, end_ms, version, data)
       SELECT 'X' || s || '-' || d || '-' || t, 'S' || s, CASE WHEN d % 2 = 1 THEN 'ACTIVE' ELSE 'LIFTED' END,
              d * $1::bigint + t * 3600000, d * $1::bigint + t * 3600000 + 1800000, 1, '{}'::jsonb
       FROM generate_series(0, $2 - 1) s, generate_series(0, $3 - 1) d, generate_series(0, $4 - 1) t`,
      [DAY_MS, SECTORS, DAYS, TABLES],
    );
    await store.pool.query(
      `INSERT INTO waitlist (id, sector_id, status, created_at, version, data)
       SELECT 'W' || s || '-' || d || '-' || t, 'S' || s, CASE WHEN d = $2 - 1 AND t = 0 THEN 'WAITING' ELSE 'BOOKED' END, d * 1000 + t, 1, '{}'::jsonb
       FROM generate_series(0, $1 - 1) s, generate_series(0, $2 - 1) d, generate_series(0, $3 - 1) t`,
      [SECTORS, DAYS, TABLES],
    );
    // The log: a subscriber reads a page of it after its cursor every few hundred milliseconds.
    await store.pool.query(
      `INSERT INTO events (stream, version, type, data, metadata, recorded_at)
       SELECT 'booking-' || n, 1, 'BookingCreated', '{}'::jsonb, '{"actor":"plans"}'::jsonb, n FROM generate_series(1, $1) n`,
      [SECTORS * DAYS * TABLES],
    );
    await store.pool.query('ANALYZE booking_seats, bookings, blackouts, waitlist, events');
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  const params: Record<keyof typeof POSTGRES_HOT_QUERIES, unknown[]> = {
    seatBlocks: ['S7', SPAN.start, SPAN.end],
    tablesAndSeatBlocks: ['S7', SPAN.start, SPAN.end],
    restaurantSectorAndSeats: ['R7', 'S7', SPAN.start, SPAN.end],
    blackoutsOfSector: ['S7', SPAN.start, SPAN.end],
    bookingsOfDay: ['S7', 'D30', 'R7'],
    waitingEntries: ['S7', 'D30'],
    sectorsWithWaiting: ['D30'],
    expiredHolds: [SPAN.start, 100],
    dueNoShows: [SPAN.start, 100],
  };

  async function planOf(name: keyof typeof POSTGRES_HOT_QUERIES): Promise<PgPlanNode> {
    const result = await store.pool.query<{ 'QUERY PLAN': [{ Plan: PgPlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${POSTGRES_HOT_QUERIES[name]}`,
      params[name],
    );
    return result.rows[0]!['QUERY PLAN'][0].Plan;
  }

  it.each(Object.keys(EXPECTED_POSTGRES) as (keyof typeof POSTGRES_HOT_QUERIES)[])('%s', async (name) => {
    const root = await planOf(name);
    expect(postgresProblems(root, EXPECTED_POSTGRES[name]), JSON.stringify(root, null, 1)).toEqual([]);
  });

  it("a subscriber's read of the log (and whether it held commits back)", async () => {
    // A cursor 20,000 events in: the page after it, and the held-back check, both through the commit-order index.
    const { rows } = await store.pool.query<{ xid: string; position: string }>(
      'SELECT transaction_id::text AS xid, position FROM events ORDER BY transaction_id, position LIMIT 1 OFFSET 20000',
    );
    const result = await store.pool.query<{ 'QUERY PLAN': [{ Plan: PgPlanNode }] }>(`EXPLAIN (FORMAT JSON) ${READ_COMMITTED}`, [
      rows[0]!.xid,
      rows[0]!.position,
      100,
    ]);
    const root = result.rows[0]!['QUERY PLAN'][0].Plan;
    expect(postgresProblems(root, { uses: ['events_commit_order'] }), JSON.stringify(root, null, 1)).toEqual([]);
  });

  it('fails the check when an index is missing', async () => {
    await store.pool.query('DROP INDEX booking_seats_by_sector');
    try {
      // The exclusion index answers by time across every sector, then filters: not the index meant for it.
      expect(postgresProblems(await planOf('seatBlocks'), EXPECTED_POSTGRES.seatBlocks)).toContain('missing: booking_seats_by_sector');
    } finally {
      await store.pool.query('CREATE INDEX booking_seats_by_sector ON booking_seats USING gist (sector_id, during)');
    }
    expect(postgresProblems(await planOf('seatBlocks'), EXPECTED_POSTGRES.seatBlocks)).toEqual([]);
  });
});
