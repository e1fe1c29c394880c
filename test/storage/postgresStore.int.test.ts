import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/adapters/postgres/migrations.js';
import { openPostgresStore } from '../../src/adapters/postgres/openPostgresStore.js';
import { isErasedMeanwhile, liveKeysGuard } from '../../src/adapters/postgres/personalKeys.js';
import { Params } from '../../src/adapters/postgres/projections.js';
import type { StoredEvent } from '../../src/application/ports/eventStore.js';
import type { PostgresStore } from '../../src/adapters/postgres/store.js';
import { POSTGRES_URL, postgresAvailable } from '../support/services.js';
import { describeAccessConformance } from './accessConformance.js';
import { describeStoreConformance, type OpenedStore } from './storeConformance.js';

const available = await postgresAvailable();

/** A store in a schema of its own, dropped on close. */
async function openIsolated(): Promise<OpenedStore & { store: PostgresStore; schema: string }> {
  const schema = `wokibrain_test_${randomBytes(6).toString('hex')}`;
  const store = await openPostgresStore({ connectionString: POSTGRES_URL, schema });
  return {
    store,
    schema,
    close: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

if (available) {
  describeStoreConformance('PostgresStore', openIsolated);
  describeAccessConformance('PostgresStore', openIsolated);

  describe('PostgresStore specifics', () => {
    let opened: Awaited<ReturnType<typeof openIsolated>>;

    beforeAll(async () => {
      opened = await openIsolated();
    });

    afterAll(async () => {
      await opened?.close();
    });

    it('migrates once when several processes open one schema at the same time', async () => {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => openPostgresStore({ connectionString: POSTGRES_URL, schema: opened.schema })),
      );
      try {
        const applied = await opened.store.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(applied.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('has the database itself refuse overlapping seat rows, whatever the code above does', async () => {
      const insert = (bookingId: string, start: number, end: number) =>
        opened.store.pool.query(
          `INSERT INTO booking_seats (booking_id, table_id, sector_id, during) VALUES ($1, 'T-raw', 'S-raw', int8range($2::bigint, $3::bigint))`,
          [bookingId, start, end],
        );
      await insert('raw-1', 1_000, 2_000);
      await insert('raw-2', 2_000, 3_000);
      await expect(insert('raw-3', 1_500, 2_500)).rejects.toMatchObject({ code: '23P01' });
      const rows = await opened.store.pool.query<{ booking_id: string }>(
        `SELECT booking_id FROM booking_seats WHERE table_id = 'T-raw' ORDER BY booking_id`,
      );
      expect(rows.rows.map((row) => row.booking_id)).toEqual(['raw-1', 'raw-2']);
    });

    it('refuses an import that does not come after the log', async () => {
      const event = {
        position: 5,
        stream: 'restaurant-X',
        version: 1,
        type: 'RestaurantRegistered' as const,
        data: {
          restaurant: { id: 'X', name: 'X', timezone: 'UTC', durationRange: { min: 30, max: 180 }, createdAt: 1, updatedAt: 1 },
        },
        metadata: { actor: 'restore' },
        recordedAt: 1,
      };
      await opened.store.importEvents([event]);
      await expect(opened.store.importEvents([{ ...event, position: 5, stream: 'restaurant-Y' }])).rejects.toThrow(/position 5/);
      expect(await opened.store.readAll(0, 10)).toEqual([event]);
      const next = await opened.store.append(
        [{ stream: 'restaurant-X', expectedVersion: 1, event: { type: 'RestaurantRegistered', data: event.data } }],
        { actor: 'test' },
        2,
      );
      expect(next[0]).toMatchObject({ position: 6, version: 2, recordedAt: 2 });
    });

    /** A guest's confirmed booking on a table of its own, with its personal fields. */
    const guestBooking = (fields: { id: string; guestId: string; guestName: string; notes?: string }) => ({
      restaurantId: 'R-sealed',
      sectorId: 'S-sealed',
      date: '2025-10-22',
      tableIds: [`T-${randomBytes(4).toString('hex')}`],
      partySize: 2,
      start: 1_000_000,
      end: 4_600_000,
      durationMinutes: 60,
      status: 'CONFIRMED' as const,
      createdAt: 1,
      updatedAt: 1,
      ...fields,
    });

    it('an erasure that commits while an append holds its key leaves that append nothing personal', async () => {
      const booking = guestBooking({
        id: `B-${randomBytes(4).toString('hex')}`,
        guestId: `G-${randomBytes(4).toString('hex')}`,
        guestName: 'Racing Name',
        notes: 'racing note',
      });
      await opened.store.pool.query('INSERT INTO personal_keys (subject, key) VALUES ($1, $2)', [booking.guestId, randomBytes(32)]);
      // The erasure has nulled the key but not committed: the append reads the old key, then waits on its row.
      const eraser = await opened.store.pool.connect();
      try {
        await eraser.query('BEGIN');
        await eraser.query('UPDATE personal_keys SET key = NULL WHERE subject = $1', [booking.guestId]);
        const appended = opened.store.append(
          [{ stream: `booking-${booking.id}`, expectedVersion: 'none', event: { type: 'BookingConfirmed', data: { booking } } }],
          { actor: 'test' },
          1,
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        await eraser.query('COMMIT');
        const [event] = await appended;
        expect(JSON.stringify(event!.data)).not.toContain('Racing');
      } finally {
        eraser.release();
      }
      const projected = await opened.store.booking(booking.id);
      expect(projected!.value).toMatchObject({ id: booking.id, guestId: booking.guestId });
      const everything = JSON.stringify([projected, await opened.store.readStream(`booking-${booking.id}`)]);
      expect(everything).not.toContain('Racing');
      expect(everything).not.toContain('racing note');
    });

    it('a key this process keeps from an earlier append is not trusted once another process erased the subject', async () => {
      const guestId = `G-${randomBytes(4).toString('hex')}`;
      const bookingOf = (id: string) => guestBooking({ id, guestId, guestName: 'Kept Name' });
      const append = (id: string) =>
        opened.store.append(
          [{ stream: `booking-${id}`, expectedVersion: 'none', event: { type: 'BookingConfirmed', data: { booking: bookingOf(id) } } }],
          { actor: 'test' },
          1,
        );
      const first = `B-${randomBytes(4).toString('hex')}`;
      await append(first);
      expect(JSON.stringify(await opened.store.readStream(`booking-${first}`))).toContain('Kept Name');
      // The guest's next booking seals with the key kept from the first: no statement reads it.
      const pool = opened.store.pool;
      const sent: string[] = [];
      const query = pool.query.bind(pool);
      pool.query = ((...args: Parameters<typeof query>) => {
        const [text] = args as unknown as [string | { text: string }];
        sent.push(typeof text === 'string' ? text : text.text);
        return query(...args);
      }) as typeof pool.query;
      try {
        await append(`B-${randomBytes(4).toString('hex')}`);
      } finally {
        pool.query = query;
      }
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.filter((text) => text.includes('INSERT INTO personal_keys'))).toEqual([]);
      // The key row made again behind this store's back (a restore, a failover): the kept key is not used.
      await opened.store.pool.query('UPDATE personal_keys SET key = $2 WHERE subject = $1', [guestId, randomBytes(32)]);
      const remade = `B-${randomBytes(4).toString('hex')}`;
      await append(remade);
      expect(JSON.stringify(await opened.store.readStream(`booking-${remade}`))).toContain('Kept Name');
      // Another process erases: this store's memo of the key does not hear of it.
      await opened.store.pool.query('UPDATE personal_keys SET key = NULL WHERE subject = $1', [guestId]);
      const second = `B-${randomBytes(4).toString('hex')}`;
      await append(second);
      const everything = JSON.stringify([await opened.store.booking(second), await opened.store.readStream(`booking-${second}`)]);
      expect(everything).toContain(guestId);
      expect(everything).not.toContain('Kept Name');
    });

    it('refuses the event insert when a key it seals with was nulled after it was read, or is not the stored one', async () => {
      const subject = `G-${randomBytes(4).toString('hex')}`;
      const event = {
        position: 0,
        stream: 's',
        version: 1,
        type: 'BookingConfirmed',
        data: { booking: { id: 'B', guestId: subject, guestName: 'N' } },
      };
      const key = randomBytes(32);
      const guarded = async (held = key) => {
        const params = new Params();
        const guard = liveKeysGuard(params, [event as unknown as StoredEvent], new Map([[subject, held]]))!;
        return opened.store.pool.query(`WITH ${guard.clause} SELECT ${guard.condition} AS ok`, params.values);
      };
      await opened.store.pool.query('INSERT INTO personal_keys (subject, key) VALUES ($1, $2)', [subject, key]);
      expect((await guarded()).rows).toEqual([{ ok: true }]);
      // A key that is not the stored one (kept from before the row was made again) is refused too.
      const other = await guarded(randomBytes(32)).catch((error: unknown) => error);
      expect(isErasedMeanwhile(other), String(other)).toBe(true);
      await opened.store.pool.query('UPDATE personal_keys SET key = NULL WHERE subject = $1', [subject]);
      const refused = await guarded().catch((error: unknown) => error);
      expect(isErasedMeanwhile(refused), String(refused)).toBe(true);
    });

    it('upgrades a schema made before the bounded reads, its seats and holds read as before', async () => {
      const schema = `wokibrain_test_${randomBytes(6).toString('hex')}`;
      const pool = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema},public`, max: 2 });
      try {
        await migrate(
          pool,
          schema,
          MIGRATIONS.filter((migration) => migration.version <= 8),
        );
        await pool.query(
          `INSERT INTO booking_seats (booking_id, table_id, sector_id, during) VALUES ('B1', 'T1', 'S1', int8range(1000, 2000))`,
        );
        await pool.query(
          `INSERT INTO bookings (id, restaurant_id, sector_id, date, status, start_ms, end_ms, version, data)
           VALUES ('H1', 'R1', 'S1', '2025-10-22', 'PENDING', 0, 1, 1, '{"holdExpiresAt": 500}')`,
        );
        const upgraded = await openPostgresStore({ connectionString: POSTGRES_URL, schema });
        try {
          const indexes = await upgraded.pool.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [
            schema,
          ]);
          expect(indexes.rows.map((row) => row.indexname)).toEqual(
            expect.arrayContaining(['booking_seats_by_sector', 'blackouts_active_by_span', 'bookings_holds_due']),
          );
          expect((await upgraded.seatBlocks('S1', { start: 1500, end: 1600 })).map((block) => block.tableId)).toEqual(['T1']);
          expect(await upgraded.expiredHolds(500, 10)).toEqual(['H1']);
        } finally {
          await upgraded.close();
        }
      } finally {
        await pool.end();
        await dropSchema(schema);
      }
    });

    it('rejects a schema name it could not use safely', async () => {
      await expect(openPostgresStore({ connectionString: POSTGRES_URL, schema: 'x; DROP TABLE events' })).rejects.toThrow(
        /invalid schema name/,
      );
    });
  });
} else {
  describe.skip('PostgresStore (PostgreSQL unreachable)', () => {
    it('needs PostgreSQL', () => {});
  });
}
