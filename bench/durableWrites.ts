import { mkdtemp, rm } from 'node:fs/promises';
import pg from 'pg';
import { freshDatabase } from '../test/support/freshDatabase.js';
import { POSTGRES_URL } from '../test/support/services.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { composeFromConfig, type Composition } from '../src/compose.js';
import type { Config } from '../src/config/config.js';

const admin = { actor: 'bench' };
const SECTORS = 20;
const TABLES_PER_SECTOR = 20;

export interface WriteRow {
  store: string;
  shape: string;
  bookings: number;
  seconds: number;
  perSecond: number;
}

async function setUp(composition: Composition): Promise<void> {
  const { app } = composition;
  // No windows: the whole local day, so each table holds 48 half-hour stays a date.
  await app.registerRestaurant({ id: 'RB', name: 'Bench', timezone: 'America/Argentina/Buenos_Aires' }, admin);
  for (let s = 0; s < SECTORS; s++) {
    await app.addSector({ id: `SB${s}`, restaurantId: 'RB', name: `Sector ${s}` }, admin);
    for (let t = 0; t < TABLES_PER_SECTOR; t++) {
      await app.addTable({ id: `SB${s}-T${t}`, sectorId: `SB${s}`, name: `T${t}`, minSize: 2, maxSize: 4 }, admin);
    }
  }
}

/** `workers` callers book back to back, each on `sectorOf(worker)`, until `total` bookings exist. */
async function book(composition: Composition, total: number, workers: number, sectorOf: (worker: number) => number, sectors: number) {
  let issued = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (issued < total) {
        const n = issued++;
        // 960 stays fit a sector a date; spread over dates so capacity never runs out.
        const day = 1 + Math.floor(n / (sectors * 400));
        await composition.app.createBooking(
          {
            restaurantId: 'RB',
            sectorId: `SB${sectorOf(worker)}`,
            partySize: 2 + (n % 3),
            durationMinutes: 30,
            date: `2026-03-${String(day).padStart(2, '0')}`,
          },
          admin,
        );
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { bookings: total, seconds, perSecond: total / seconds };
}

type StoreConfig = Pick<Config, 'store' | 'dataDir' | 'databaseUrl'>;

export interface FreshStore {
  config: StoreConfig;
  cleanup(): Promise<void>;
}

/** Bookings per second through the application layer, each shape on a fresh durable store. */
export async function benchDurableWrites(fresh: () => Promise<FreshStore>, label: string, total: number): Promise<WriteRow[]> {
  const rows: WriteRow[] = [];
  for (const [shape, workers, sectorOf, sectors] of [
    [`${SECTORS} sectors in parallel`, SECTORS, (worker: number) => worker, SECTORS],
    ['one sector, 20 callers', 20, () => 0, 1],
  ] as const) {
    const store = await fresh();
    const composition = await composeFromConfig({ ...store.config, redisUrl: undefined, idempotencyRetentionMs: 86_400_000 });
    try {
      await setUp(composition);
      rows.push({ store: label, shape, ...(await book(composition, total, workers, sectorOf, sectors)) });
    } finally {
      await composition.close();
      await store.cleanup();
    }
  }
  return rows;
}

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** An empty database of its own, dropped afterwards. */
export async function freshPostgres(): Promise<FreshStore> {
  const database = await freshDatabase();
  return { config: { store: 'postgres', dataDir: '.', databaseUrl: database.url }, cleanup: database.drop };
}

export async function freshSqlite(): Promise<FreshStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-bench-'));
  return {
    config: { store: 'sqlite', dataDir, databaseUrl: undefined },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

const USAGE = `npx tsx bench/durableWrites.ts [options]
  --store sqlite|postgres   the store, fresh for the run (default postgres, at DATABASE_URL or the local test server)
  --callers N               concurrent callers, each on a sector of its own (default 16)
  --bookings N              bookings to create (default 4000)
Prints creates/s through the application layer (no HTTP).`;

/** Standalone: creates/s with N concurrent callers on a fresh store, e.g. to compare two commits. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'postgres' },
      callers: { type: 'string', default: '16' },
      bookings: { type: 'string', default: '4000' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return console.log(USAGE);
  const callers = Math.min(SECTORS, Number(values.callers));
  const total = Number(values.bookings);
  const store = values.store === 'sqlite' ? await freshSqlite() : await freshPostgres();
  const composition = await composeFromConfig({ ...store.config, redisUrl: undefined, idempotencyRetentionMs: 86_400_000 });
  try {
    await setUp(composition);
    const result = await book(composition, total, callers, (worker) => worker, callers);
    console.log(
      `${values.store}, ${callers} callers: ${result.bookings} bookings in ${result.seconds.toFixed(2)} s = ${result.perSecond.toFixed(0)} creates/s`,
    );
  } finally {
    await composition.close();
    await store.cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
