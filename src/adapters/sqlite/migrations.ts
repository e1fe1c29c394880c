import type { Database } from 'better-sqlite3';
import { LONG_SEAT_MS } from '../../application/ports/readModel.js';

/**
 * A seat or blackout row longer than the longest stay: the partial indexes below hold
 * only these, so that every other range read can bound `start_ms` from below. The
 * queries repeat this expression word for word, which is how SQLite knows the index applies.
 */
export const LONG_ROW = `end_ms - start_ms > ${LONG_SEAT_MS}`;

/**
 * When the overlap trigger of migration 7 refuses a seat row (NEW): bounded on both
 * ends, like the reads. Exported for the plan test; migration 7 is released, so never change it.
 */
/** The overlap check of migration 7: two bounded ranges. */
const SEAT_OVERLAP_CHECK_V7 = `EXISTS (
        SELECT 1 FROM booking_seats
        WHERE table_id = NEW.table_id AND start_ms > NEW.start_ms - ${LONG_SEAT_MS} AND start_ms < NEW.end_ms AND end_ms > NEW.start_ms
      ) OR EXISTS (
        SELECT 1 FROM booking_seats
        WHERE table_id = NEW.table_id AND ${LONG_ROW} AND end_ms > NEW.start_ms AND start_ms < NEW.end_ms
      )`;

/**
 * A table's non-empty seat rows never overlap (this check is the only way in), so sorted
 * by start their ends are sorted too: of the rows starting before the new one ends, only
 * the last can reach past its start. One step down the primary key (table_id, start_ms)
 * decides it, whatever the lengths of the rows, long ones included. (Empty rows overlap
 * nothing and are passed over, or they would hide the row before them.)
 */
export const SEAT_OVERLAP_CHECK = `(
        SELECT end_ms FROM booking_seats
        WHERE table_id = NEW.table_id AND start_ms < NEW.end_ms AND end_ms > start_ms ORDER BY start_ms DESC LIMIT 1
      ) > NEW.start_ms`;

/** Versioned schema steps, applied in order once each; never edit a released step, add one. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'event log, projections, idempotency',
    sql: `
      CREATE TABLE events (
        position INTEGER PRIMARY KEY,
        stream TEXT NOT NULL,
        version INTEGER NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        UNIQUE (stream, version)
      );
      CREATE TABLE restaurants (id TEXT PRIMARY KEY, data TEXT NOT NULL);
      CREATE TABLE sectors (id TEXT PRIMARY KEY, restaurant_id TEXT NOT NULL, data TEXT NOT NULL);
      CREATE TABLE tables (id TEXT PRIMARY KEY, sector_id TEXT NOT NULL, data TEXT NOT NULL);
      CREATE INDEX tables_by_sector ON tables (sector_id);
      CREATE TABLE bookings (
        id TEXT PRIMARY KEY,
        restaurant_id TEXT NOT NULL,
        sector_id TEXT NOT NULL,
        date TEXT NOT NULL,
        status TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX bookings_by_day ON bookings (sector_id, date, start_ms);
      CREATE INDEX bookings_by_time ON bookings (sector_id, start_ms);
      CREATE TABLE booking_seats (
        booking_id TEXT NOT NULL,
        table_id TEXT NOT NULL,
        sector_id TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        PRIMARY KEY (table_id, start_ms, booking_id)
      );
      CREATE INDEX booking_seats_by_booking ON booking_seats (booking_id);
      CREATE INDEX booking_seats_by_sector ON booking_seats (sector_id, start_ms);
      -- The database itself refuses a second seat-taking booking over any part of an interval.
      CREATE TRIGGER booking_seats_refuse_overlap BEFORE INSERT ON booking_seats
      WHEN EXISTS (
        SELECT 1 FROM booking_seats
        WHERE table_id = NEW.table_id AND start_ms < NEW.end_ms AND end_ms > NEW.start_ms
      )
      BEGIN
        SELECT RAISE(ABORT, 'seat_conflict');
      END;
      CREATE TABLE idempotency (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        payload_hash TEXT NOT NULL,
        response TEXT,
        expires_at INTEGER NOT NULL,
        lease_until INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX idempotency_by_expiry ON idempotency (expires_at);
    `,
  },
  {
    version: 2,
    name: 'sector revisions',
    sql: `CREATE TABLE sector_revisions (sector_id TEXT PRIMARY KEY, revision INTEGER NOT NULL);`,
  },
  {
    version: 3,
    name: 'blackouts',
    // Their seat rows live in booking_seats under the holder id 'blackout:<id>', so the same trigger guards them.
    sql: `
      CREATE TABLE blackouts (
        id TEXT PRIMARY KEY,
        sector_id TEXT NOT NULL,
        status TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX blackouts_by_sector ON blackouts (sector_id, start_ms);
    `,
  },
  {
    version: 4,
    name: 'waitlist',
    sql: `
      CREATE TABLE waitlist (
        id TEXT PRIMARY KEY,
        sector_id TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX waitlist_waiting ON waitlist (status, sector_id, created_at);
    `,
  },
  {
    version: 5,
    name: 'subscriptions',
    // checkpoint: the last position handled; NULL for the log's start.
    sql: `
      CREATE TABLE subscriptions (
        name TEXT PRIMARY KEY,
        checkpoint INTEGER,
        owner TEXT,
        lease_until INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'access: users, memberships, API keys, refresh tokens, failed logins',
    // Beside the log, not in it: secrets and hashes must stay deletable. Times are epoch milliseconds; scopes a JSON array.
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        admin INTEGER NOT NULL CHECK (admin IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE memberships (
        restaurant_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        role TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (restaurant_id, user_id)
      );
      CREATE INDEX memberships_by_user ON memberships (user_id);
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        restaurant_id TEXT NOT NULL,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX api_keys_by_restaurant ON api_keys (restaurant_id, created_at);
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        family_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        spent_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
      CREATE TABLE login_failures (
        email TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX login_failures_by_email ON login_failures (email, at);
    `,
  },
  {
    version: 7,
    name: 'bounded range reads: long seat rows apart, due holds by expiry',
    // Every read of a sector's or a table's seats overlapping [a, b) becomes two index ranges:
    // short rows with a - LONG_SEAT_MS < start_ms < b, and long rows with end_ms > a.
    sql: `
      CREATE INDEX booking_seats_long_by_sector ON booking_seats (sector_id, end_ms) WHERE ${LONG_ROW};
      CREATE INDEX booking_seats_long_by_table ON booking_seats (table_id, end_ms) WHERE ${LONG_ROW};
      CREATE INDEX blackouts_long_by_sector ON blackouts (sector_id, end_ms) WHERE ${LONG_ROW};
      DROP TRIGGER booking_seats_refuse_overlap;
      CREATE TRIGGER booking_seats_refuse_overlap BEFORE INSERT ON booking_seats
      WHEN ${SEAT_OVERLAP_CHECK_V7}
      BEGIN
        SELECT RAISE(ABORT, 'seat_conflict');
      END;
      CREATE INDEX bookings_holds_due ON bookings (json_extract(data, '$.holdExpiresAt'), id) WHERE status = 'PENDING';
    `,
  },
  {
    version: 8,
    name: 'maintenance jobs: how far an unfinished rebuild or restore came; the seat overlap check in one probe',
    sql: `
      CREATE TABLE maintenance_jobs (
        kind TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        done INTEGER NOT NULL,
        total INTEGER NOT NULL
      );
      DROP TRIGGER booking_seats_refuse_overlap;
      CREATE TRIGGER booking_seats_refuse_overlap BEFORE INSERT ON booking_seats
      WHEN ${SEAT_OVERLAP_CHECK}
      BEGIN
        SELECT RAISE(ABORT, 'seat_conflict');
      END;
    `,
  },
  {
    version: 9,
    name: 'due no-shows by due time',
    sql: `CREATE INDEX bookings_no_shows_due ON bookings (json_extract(data, '$.noShowDueAt'), id) WHERE status = 'CONFIRMED';`,
  },
  {
    version: 10,
    name: 'waiting entries by sector and service date: days gone by are never read again',
    sql: `
      DROP INDEX waitlist_waiting;
      CREATE INDEX waitlist_waiting ON waitlist (sector_id, json_extract(data, '$.date'), created_at) WHERE status = 'WAITING';
      CREATE INDEX waitlist_waiting_dates ON waitlist (json_extract(data, '$.date'), sector_id) WHERE status = 'WAITING';
    `,
  },
  {
    version: 11,
    name: "guest profiles, their contacts, per-subject keys that seal personal data in the log; a day's waitlist entries",
    sql: `
      CREATE TABLE guests (
        id TEXT PRIMARY KEY,
        restaurant_id TEXT NOT NULL,
        merged_into TEXT,
        search TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX guests_by_restaurant ON guests (restaurant_id, updated_at) WHERE merged_into IS NULL;
      CREATE INDEX guests_merged ON guests (merged_into) WHERE merged_into IS NOT NULL;
      CREATE TABLE guest_contacts (
        restaurant_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        guest_id TEXT NOT NULL,
        PRIMARY KEY (restaurant_id, kind, value)
      );
      CREATE INDEX guest_contacts_by_guest ON guest_contacts (guest_id);
      CREATE TABLE personal_keys (subject TEXT PRIMARY KEY, key BLOB NOT NULL);
      ALTER TABLE events ADD COLUMN subject TEXT;
      CREATE INDEX bookings_by_guest ON bookings (json_extract(data, '$.guestId')) WHERE json_extract(data, '$.guestId') IS NOT NULL;
      CREATE INDEX waitlist_by_guest ON waitlist (json_extract(data, '$.guestId')) WHERE json_extract(data, '$.guestId') IS NOT NULL;
      CREATE INDEX waitlist_by_day ON waitlist (sector_id, json_extract(data, '$.date'), created_at);
    `,
  },
  {
    version: 12,
    name: 'no index on bookings by sector and start: no query reads it, and each one costs every create a page write',
    sql: 'DROP INDEX IF EXISTS bookings_by_time;',
  },
  {
    version: 13,
    name: 'an erased data subject keeps its row with no key, so a write that matched it before the erasure stores nothing personal',
    sql: `
      CREATE TABLE personal_keys_nullable (subject TEXT PRIMARY KEY, key BLOB);
      INSERT INTO personal_keys_nullable (subject, key) SELECT subject, key FROM personal_keys;
      DROP TABLE personal_keys;
      ALTER TABLE personal_keys_nullable RENAME TO personal_keys;
    `,
  },
];

/** Applies the missing steps inside one write transaction, so parallel starts cannot both migrate. */
export function migrate(db: Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied: number[] = [];
  const run = db.transaction(() => {
    const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
      applied.push(migration.version);
    }
  });
  run.immediate();
  return applied;
}
