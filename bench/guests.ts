/**
 * What guest profiles and sealed personal data cost a create: the same creates,
 * in-process, with and without a guest's name, phone, email and notes, on SQLite
 * and PostgreSQL, in one run (the baseline is the run without guest data).
 * Half the guests come back, so both the first sight (a profile and a key are
 * made) and the return (both are found) are in the mix.
 *
 *   npm run bench:guests [-- --creates 3000 --store sqlite|postgres|both]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/adapters/sqlite/sqliteStore.js';
import { openPostgresStore } from '../src/adapters/postgres/openPostgresStore.js';
import { composeOn, type Store } from '../src/compose.js';
import { BENCH_COLUMNS, renderTable, type Row } from './table.js';
import { POSTGRES_URL as TEST_POSTGRES_URL } from '../test/support/services.js';

const { values } = parseArgs({ options: { creates: { type: 'string', default: '3000' }, store: { type: 'string', default: 'both' } } });
const CREATES = Number(values.creates);
const IN_FLIGHT = 16;
const TABLES = 200;
/** With guest data, creates/s at least this share of the run without. */
const TARGET = 0.8;
const POSTGRES_URL = process.env.DATABASE_URL ?? TEST_POSTGRES_URL;

async function openStore(kind: 'sqlite' | 'postgres'): Promise<{ store: Store; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-guests-'));
    return { store: SqliteStore.open(join(dir, 'db.sqlite')), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_guests_${process.pid}_${Date.now()}`;
  const store = await openPostgresStore({ connectionString: POSTGRES_URL, schema });
  return {
    store,
    drop: async () => {
      const pg = await import('pg');
      const admin = new pg.default.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function createsPerSecond(kind: 'sqlite' | 'postgres', withGuests: boolean): Promise<number> {
  const { store, drop } = await openStore(kind);
  const { app } = composeOn(store, kind);
  try {
    await app.registerRestaurant({ id: 'RB', name: 'Bench', timezone: 'America/Argentina/Buenos_Aires' });
    await app.addSector({ id: 'SB', restaurantId: 'RB', name: 'Hall' });
    for (let t = 0; t < TABLES; t++) await app.addTable({ id: `T${t}`, sectorId: 'SB', name: `T${t}`, minSize: 1, maxSize: 4 });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < CREATES; i = next++) {
          // Ten days, one per 20 tables' worth of creates: every create finds a free table.
          const date = `2027-03-${String(1 + (i % 28)).padStart(2, '0')}`;
          const guest = i % 2 === 0 ? i : i - 1;
          await app.createBooking({
            restaurantId: 'RB',
            sectorId: 'SB',
            date,
            partySize: 2,
            durationMinutes: 60,
            ...(withGuests
              ? {
                  guestName: `Guest ${guest}`,
                  guestPhone: `+54 9 11 ${String(4000_0000 + guest)}`,
                  guestEmail: `g${guest}@example.com`,
                  notes: 'n',
                }
              : {}),
          });
        }
      }),
    );
    return CREATES / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    await drop();
  }
}

const kinds = values.store === 'both' ? (['sqlite', 'postgres'] as const) : [values.store as 'sqlite' | 'postgres'];
const rows: Row[] = [];
for (const kind of kinds) {
  const without = await createsPerSecond(kind, false);
  const withGuests = await createsPerSecond(kind, true);
  const share = withGuests / without;
  const cell = (rate: number) => `${Math.round(rate)}/s`;
  rows.push([`${CREATES}`, kind, 'create, no guest data (baseline)', `${CREATES}`, '', '', cell(without), '', '', '']);
  rows.push([
    `${CREATES}`,
    kind,
    'create with name, phone, email, notes',
    `${CREATES}`,
    '',
    '',
    cell(withGuests),
    `${Math.round(share * 100)}%`,
    `≥ ${TARGET * 100}% of baseline`,
    share >= TARGET ? 'pass' : 'MISS',
  ]);
}
console.log(renderTable(BENCH_COLUMNS, rows).join('\n'));
