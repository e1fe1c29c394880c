import type { Pool } from 'pg';
import { inTransaction } from './db.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, as an append-only list: never edit a released migration, add the
 * next version. Each runs once per schema, recorded in `schema_migrations`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event log',
    sql: `
      CREATE TABLE events (
        position    bigserial PRIMARY KEY,
        stream      text      NOT NULL,
        version     integer   NOT NULL CHECK (version >= 1),
        type        text      NOT NULL,
        data        jsonb     NOT NULL,
        metadata    jsonb     NOT NULL,
        recorded_at bigint    NOT NULL,
        CONSTRAINT events_stream_version_key UNIQUE (stream, version)
      );
    `,
  },
  {
    version: 2,
    name: 'projections and the seat exclusion constraint',
    sql: `
      CREATE TABLE restaurants (
        id      text    PRIMARY KEY,
        version integer NOT NULL,
        data    jsonb   NOT NULL
      );
      CREATE TABLE sectors (
        id            text    PRIMARY KEY,
        restaurant_id text    NOT NULL,
        version       integer NOT NULL,
        data          jsonb   NOT NULL
      );
      CREATE TABLE tables (
        id        text    PRIMARY KEY,
        sector_id text    NOT NULL,
        version   integer NOT NULL,
        data      jsonb   NOT NULL
      );
      CREATE INDEX tables_by_sector ON tables (sector_id, id);
      CREATE TABLE bookings (
        id            text    PRIMARY KEY,
        restaurant_id text    NOT NULL,
        sector_id     text    NOT NULL,
        date          text    NOT NULL,
        status        text    NOT NULL,
        start_ms      bigint  NOT NULL,
        end_ms        bigint  NOT NULL,
        version       integer NOT NULL,
        data          jsonb   NOT NULL
      );
      CREATE INDEX bookings_by_day ON bookings (sector_id, date, start_ms, id);
      CREATE INDEX bookings_by_span ON bookings (sector_id, start_ms, end_ms);
      -- One row per table per seat-taking booking: the database itself refuses
      -- two bookings on one table whose [start, end) intervals overlap.
      CREATE TABLE booking_seats (
        booking_id text      NOT NULL,
        table_id   text      NOT NULL,
        sector_id  text      NOT NULL,
        during     int8range NOT NULL,
        PRIMARY KEY (booking_id, table_id),
        CONSTRAINT booking_seats_no_overlap EXCLUDE USING gist (table_id WITH =, during WITH &&)
      );
    `,
  },
  {
    version: 3,
    name: 'idempotency records',
    sql: `
      CREATE TABLE idempotency (
        scope        text   NOT NULL,
        key          text   NOT NULL,
        payload_hash text   NOT NULL,
        response     jsonb  NULL,
        expires_at   bigint NOT NULL,
        lease_until  bigint NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX idempotency_by_expiry ON idempotency (expires_at);
    `,
  },
  {
    version: 4,
    name: 'sector revisions',
    sql: `
      CREATE TABLE sector_revisions (
        sector_id text    PRIMARY KEY,
        revision  integer NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'blackouts',
    // Their seat rows live in booking_seats under the holder id 'blackout:<id>', so the same exclusion guards them.
    sql: `
      CREATE TABLE blackouts (
        id        text    PRIMARY KEY,
        sector_id text    NOT NULL,
        status    text    NOT NULL,
        start_ms  bigint  NOT NULL,
        end_ms    bigint  NOT NULL,
        version   integer NOT NULL,
        data      jsonb   NOT NULL
      );
      CREATE INDEX blackouts_by_sector ON blackouts (sector_id, start_ms);
    `,
  },
  {
    version: 6,
    name: 'waitlist',
    sql: `
      CREATE TABLE waitlist (
        id         text    PRIMARY KEY,
        sector_id  text    NOT NULL,
        status     text    NOT NULL,
        created_at bigint  NOT NULL,
        version    integer NOT NULL,
        data       jsonb   NOT NULL
      );
      CREATE INDEX waitlist_waiting ON waitlist (status, sector_id, created_at);
    `,
  },
  {
    version: 7,
    name: 'committed order and subscriptions',
    // The writing transaction's id orders the log as it commits (see subscriptions.ts).
    // Rows already there all get this migration's id: ALTER TABLE waits for every
    // writer of events to end first, so they sit below any later transaction and keep
    // their position order among themselves.
    sql: `
      ALTER TABLE events ADD COLUMN transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id();
      CREATE INDEX events_commit_order ON events (transaction_id, position);
      CREATE TABLE subscriptions (
        name                      text        PRIMARY KEY,
        checkpoint_transaction_id xid8        NULL,
        checkpoint_position       bigint      NULL,
        owner                     text        NULL,
        lease_until               bigint      NOT NULL DEFAULT 0,
        updated_at                timestamptz NOT NULL DEFAULT now(),
        -- Both null: the log's start.
        CONSTRAINT subscriptions_checkpoint_pair CHECK ((checkpoint_transaction_id IS NULL) = (checkpoint_position IS NULL))
      );
    `,
  },
  {
    version: 8,
    name: 'access: users, memberships, API keys, refresh tokens, failed logins',
    // Beside the log, not in it: secrets and hashes must stay deletable. Times are epoch milliseconds.
    sql: `
      CREATE TABLE users (
        id            text    PRIMARY KEY,
        email         text    NOT NULL,
        name          text    NOT NULL,
        password_hash text    NOT NULL,
        admin         boolean NOT NULL,
        created_at    bigint  NOT NULL,
        updated_at    bigint  NOT NULL,
        CONSTRAINT users_email_key UNIQUE (email)
      );
      CREATE TABLE memberships (
        restaurant_id text   NOT NULL,
        user_id       text   NOT NULL,
        role          text   NOT NULL,
        created_at    bigint NOT NULL,
        PRIMARY KEY (restaurant_id, user_id)
      );
      CREATE INDEX memberships_by_user ON memberships (user_id);
      CREATE TABLE api_keys (
        id            text   PRIMARY KEY,
        restaurant_id text   NOT NULL,
        name          text   NOT NULL,
        scopes        jsonb  NOT NULL,
        key_hash      text   NOT NULL,
        created_by    text   NOT NULL,
        created_at    bigint NOT NULL,
        last_used_at  bigint NULL,
        revoked_at    bigint NULL,
        CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash)
      );
      CREATE INDEX api_keys_by_restaurant ON api_keys (restaurant_id, created_at);
      CREATE TABLE refresh_tokens (
        token_hash text   PRIMARY KEY,
        user_id    text   NOT NULL,
        family_id  text   NOT NULL,
        expires_at bigint NOT NULL,
        spent_at   bigint NULL,
        revoked_at bigint NULL
      );
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
      CREATE TABLE login_failures (
        email text   NOT NULL,
        at    bigint NOT NULL
      );
      CREATE INDEX login_failures_by_email ON login_failures (email, at);
    `,
  },
  {
    version: 9,
    name: 'bounded range reads: seat blocks by sector and time, active blackouts by span, due holds by expiry',
    // The exclusion index leads with table_id: a sector's seats for a day were found by time
    // across every restaurant, then filtered. These lead with the owner, then the range.
    // Plain CREATE INDEX: it blocks writes to these tables while it builds, once.
    sql: `
      CREATE INDEX booking_seats_by_sector ON booking_seats USING gist (sector_id, during);
      CREATE INDEX blackouts_active_by_span ON blackouts USING gist (sector_id, int8range(start_ms, end_ms)) WHERE status = 'ACTIVE';
      CREATE INDEX bookings_holds_due ON bookings (((data->>'holdExpiresAt')::bigint), id COLLATE "C") WHERE status = 'PENDING';
    `,
  },
  {
    version: 10,
    name: 'maintenance jobs: how far an unfinished rebuild or restore came',
    sql: `
      CREATE TABLE maintenance_jobs (
        kind     text   PRIMARY KEY,
        position bigint NOT NULL,
        done     bigint NOT NULL,
        total    bigint NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: 'compact idempotency responses',
    // New responses are written compressed here (see idempotencyRecords.ts); older ones stay
    // readable in the jsonb column until they expire. Adding a null column rewrites nothing.
    sql: `ALTER TABLE idempotency ADD COLUMN response_z bytea NULL;`,
  },
  {
    version: 12,
    name: 'due no-shows by due time',
    sql: `CREATE INDEX bookings_no_shows_due ON bookings (((data->>'noShowDueAt')::bigint), id COLLATE "C") WHERE status = 'CONFIRMED';`,
  },
  {
    version: 13,
    name: 'waiting entries by sector and service date: days gone by are never read again',
    sql: `
      DROP INDEX waitlist_waiting;
      CREATE INDEX waitlist_waiting ON waitlist (sector_id, (data->>'date'), created_at) WHERE status = 'WAITING';
      CREATE INDEX waitlist_waiting_dates ON waitlist ((data->>'date'), sector_id) WHERE status = 'WAITING';
    `,
  },
  {
    version: 14,
    name: "guest profiles, their contacts, per-subject keys that seal personal data in the log; a day's waitlist entries",
    sql: `
      CREATE TABLE guests (
        id            text   PRIMARY KEY,
        restaurant_id text   NOT NULL,
        merged_into   text,
        search        text   NOT NULL,
        updated_at    bigint NOT NULL,
        data          jsonb  NOT NULL
      );
      CREATE INDEX guests_by_restaurant ON guests (restaurant_id, updated_at) WHERE merged_into IS NULL;
      CREATE INDEX guests_merged ON guests (merged_into) WHERE merged_into IS NOT NULL;
      CREATE TABLE guest_contacts (
        restaurant_id text NOT NULL,
        kind          text NOT NULL,
        value         text NOT NULL,
        guest_id      text NOT NULL,
        PRIMARY KEY (restaurant_id, kind, value)
      );
      CREATE INDEX guest_contacts_by_guest ON guest_contacts (guest_id);
      CREATE TABLE personal_keys (subject text PRIMARY KEY, key bytea NOT NULL);
      ALTER TABLE events ADD COLUMN subject text;
      CREATE INDEX bookings_by_guest ON bookings ((data->>'guestId')) WHERE data->>'guestId' IS NOT NULL;
      CREATE INDEX waitlist_by_guest ON waitlist ((data->>'guestId')) WHERE data->>'guestId' IS NOT NULL;
      -- One key, not (sector, date): a composite one would tempt the planner away from waitlist_waiting for the sweeper's read.
      CREATE INDEX waitlist_by_day ON waitlist ((sector_id || ' ' || (data->>'date')));
    `,
  },
  {
    version: 15,
    name: 'an erased data subject keeps its row with no key; an append refuses to keep personal data whose subject was erased meanwhile',
    sql: `
      ALTER TABLE personal_keys ALTER COLUMN key DROP NOT NULL;
      -- Called once per append that seals personal data, on the key rows it locked: an erasure that committed
      -- after the keys were read leaves fewer live keys than were used, and the whole append is undone.
      CREATE FUNCTION wokibrain_require_live_keys(live bigint, used integer) RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        IF live < used THEN
          RAISE EXCEPTION 'a data subject was erased while this append was in flight' USING ERRCODE = 'WB001';
        END IF;
        RETURN true;
      END $$;
    `,
  },
];

/** Any constant: every process migrating any schema of this database queues on it. */
const MIGRATION_LOCK = [0x574f4b49, 0x4d494752] as const;

/**
 * Brings the schema up to date and returns the versions it applied. Runs in one
 * transaction under an advisory lock, so processes that start together apply
 * each migration exactly once and none of them sees a half-made schema.
 */
export async function migrate(pool: Pool, schema?: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
    if (schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      // The pool sets this on every connection; repeat it now the schema exists.
      await client.query(`SET LOCAL search_path TO ${schema}, public`);
    }
    // In public, never in a per-test schema: dropping that schema must not drop
    // the operator classes other schemas' exclusion constraints depend on.
    await client.query('CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public');
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(done.rows.map((row) => row.version));
    const ran: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      ran.push(migration.version);
    }
    return ran;
  });
}
