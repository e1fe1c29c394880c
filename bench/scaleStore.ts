import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import type * as ComposeModule from '../src/compose.js';
import { POSTGRES_URL } from '../test/support/services.js';
import { bookingInput } from './scaleLayout.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type StoreKind = 'sqlite' | 'postgres';

/** A store of the benchmark's own: fresh, measured on disk, removed at the end. */
export interface ScaleStore {
  kind: StoreKind;
  label: string;
  /** STORE and DATA_DIR or DATABASE_URL, for the server and the CLI. */
  env: Record<string, string>;
  sizeBytes(): Promise<number>;
  /**
   * PostgreSQL: the database's transactions so far (committed and rolled back, as the
   * statistics collector has them), to count round trips per create: each statement
   * outside BEGIN … COMMIT is one. Undefined for SQLite.
   */
  transactions?(): Promise<number>;
  drop(): Promise<void>;
}

async function onPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function postgresUp(): Promise<boolean> {
  try {
    await onPostgres(POSTGRES_URL, (client) => client.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh store: a temporary DATA_DIR for SQLite; for PostgreSQL the database `name`,
 * dropped first if a run before left it, on the server the PostgreSQL tests use
 * (DATABASE_URL, else the local one).
 */
export async function freshStore(kind: StoreKind, name: string): Promise<ScaleStore> {
  if (kind === 'sqlite') {
    const dataDir = await mkdtemp(join(tmpdir(), `${name}-`));
    return {
      kind,
      label: 'SQLite',
      env: { STORE: 'sqlite', DATA_DIR: dataDir },
      sizeBytes: async () => {
        // The database file and its WAL; the shared-memory index is not data.
        let total = 0;
        for (const file of await readdir(dataDir)) {
          if (file.startsWith('wokibrain.sqlite') && !file.endsWith('-shm')) total += (await stat(join(dataDir, file))).size;
        }
        return total;
      },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  await onPostgres(POSTGRES_URL, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind,
    label: 'PostgreSQL',
    env: { STORE: 'postgres', DATABASE_URL: databaseUrl },
    sizeBytes: () =>
      onPostgres(databaseUrl, async (client) => {
        const { rows } = await client.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
        return Number(rows[0]!.size);
      }),
    transactions: () =>
      onPostgres(POSTGRES_URL, async (client) => {
        // Statistics reach the view when a backend reports them, at most once a second.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const { rows } = await client.query<{ count: string }>(
          'SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = $1',
          [name],
        );
        return Number(rows[0]!.count);
      }),
    drop: () => onPostgres(POSTGRES_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export interface BulkResult {
  created: number;
  refused: number;
  seconds: number;
}

/**
 * Booking numbers `from` … `to − 1` through the application layer, in this process,
 * with `callers` concurrent callers: each a real `createBooking` (read the sector,
 * choose, append, project, commit) on the real store, without HTTP. The code is
 * the built one in dist/, the same the server runs. The server is stopped meanwhile.
 */
export async function bulkLoad(
  store: ScaleStore,
  restaurants: number,
  from: number,
  to: number,
  callers: number,
  progress: (text: string) => void,
): Promise<BulkResult> {
  const { composeFromConfig } = (await import(pathToFileURL(join(ROOT, 'dist', 'src', 'compose.js')).href)) as typeof ComposeModule;
  const composition = await composeFromConfig({
    store: store.kind,
    dataDir: store.env.DATA_DIR ?? '.',
    databaseUrl: store.env.DATABASE_URL,
    redisUrl: undefined,
    idempotencyRetentionMs: 86_400_000,
  });
  const caller = { actor: 'bench-scale' };
  let next = from;
  let created = 0;
  let refused = 0;
  let firstRefusal: unknown;
  const started = performance.now();
  let shown = started;
  try {
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (next < to) {
          const n = next++;
          try {
            await composition.app.createBooking(bookingInput(restaurants, n), caller);
            created++;
          } catch (error) {
            refused++;
            firstRefusal ??= error;
            if (refused > 100 && refused > created / 100) throw error;
          }
          const now = performance.now();
          if (now - shown > 10_000) {
            shown = now;
            const rate = (created + refused) / ((now - started) / 1000);
            progress(`  bulk: ${(next - from).toLocaleString('en-US')}/${(to - from).toLocaleString('en-US')}, ${Math.round(rate)}/s`);
          }
        }
      }),
    );
  } finally {
    await composition.close();
  }
  if (refused > 0) progress(`  bulk: ${refused} refused, the first: ${String(firstRefusal)}`);
  return { created, refused, seconds: (performance.now() - started) / 1000 };
}

export interface CliRun {
  seconds: number;
  /** What the command wrote, stderr (progress) and stdout interleaved. */
  lines: string[];
}

/** `node dist/src/cli.js …` on the store, timed from spawn to exit, its output kept. */
export async function runCli(store: ScaleStore, args: string[]): Promise<CliRun> {
  const lines: string[] = [];
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...store.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let pending = '';
  const keep = (chunk: Buffer) => {
    const text = pending + chunk.toString('utf8');
    const parts = text.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (pending) lines.push(pending);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`wokibrain ${args.join(' ')} exited ${code}:\n${lines.join('\n')}`);
  return { seconds, lines };
}
