import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeFromConfig } from '../../src/compose.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';
import { POSTGRES_URL } from '../support/services.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DAY = { restaurantId: 'R1', sectorId: 'S1', date: '2025-10-22' };

function wokibrain(args: string[], dataDir: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, STORE: 'sqlite', DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Like `wokibrain`, without blocking: several can run at once. */
function wokibrainAsync(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const postgres = await postgresAvailable();

/**
 * PostgreSQL as if across a network: a local proxy that hands on each answer
 * `delayMs` late. A local server answers so fast that it seldom loses a race
 * against reading a small local file, and almost never while many processes
 * share the CPU; behind a few milliseconds of latency it loses it every time.
 */
async function slowPostgres(delayMs: number): Promise<{ urlFor(databaseUrl: string): string; close(): Promise<void> }> {
  const target = new URL(POSTGRES_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream);
    client.on('close', () => upstream.destroy());
    // Equal delays fire in order, so the bytes arrive as they were sent.
    upstream.on('data', (chunk: Buffer) => setTimeout(() => client.write(chunk), delayMs));
    upstream.on('end', () => setTimeout(() => client.end(), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function openSqlite(dataDir: string) {
  return composeFromConfig({ store: 'sqlite', dataDir, databaseUrl: undefined, redisUrl: undefined, idempotencyRetentionMs: 60_000 });
}

describe('wokibrain command line', () => {
  let work = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'wokibrain-cli-'));
    const source = await openSqlite(join(work, 'source'));
    await source.app.seedDemo({ actor: 'test' });
    await source.app.createBooking(
      { ...DAY, partySize: 4, durationMinutes: 60, windowStart: '12:00', guestName: 'Ana Backup', guestPhone: '+54 9 11 5555-0101' },
      { actor: 'test' },
    );
    await source.close();
  });

  afterAll(() => rm(work, { recursive: true, force: true }));

  it('migrates, backs up, restores into an empty store and rebuilds to the same day', async () => {
    const target = join(work, 'target');
    const file = join(work, 'log.jsonl');
    expect(wokibrain(['migrate'], target)).toMatchObject({ status: 0, stdout: 'schema is up to date\n' });
    const backup = wokibrain(['backup', file], join(work, 'source'));
    expect(backup).toMatchObject({ status: 0, stdout: `backed up 9 events and 1 guest profiles to ${file}\n` });
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ format: 'wokibrain-event-log', version: 2 });
    // The header, 9 events, then the one guest profile.
    expect(lines).toHaveLength(11);
    const { guest } = JSON.parse(lines[10]!) as { guest: { id: string; phones: string[] } };
    expect(guest.phones).toEqual(['+5491155550101']);

    expect(wokibrain(['restore', file], target)).toMatchObject({ status: 0, stdout: `restored 9 events from ${file}\n` });
    const again = wokibrain(['restore', file], target);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/empty store/);
    const rebuild = wokibrain(['rebuild'], target);
    expect(rebuild.status).toBe(0);
    expect(rebuild.stdout).toMatch(/projections rebuilt: \{"restaurants":1,"sectors":1,"tables":5,"bookings":2\}/);

    const [source, restored] = [await openSqlite(join(work, 'source')), await openSqlite(target)];
    try {
      expect(await restored.app.listDay(DAY)).toEqual(await source.app.listDay(DAY));
      expect((await restored.app.listDay(DAY)).items.map((booking) => booking.guestName)).toContain('Ana Backup');
      expect(await restored.app.getGuest(guest.id)).toMatchObject({ name: 'Ana Backup', phones: ['+5491155550101'], upcoming: 1 });
    } finally {
      await source.close();
      await restored.close();
    }
  });

  // The restore once read its file through readline while PostgreSQL answered its
  // first query, and lost the lines emitted meanwhile: most restores failed with
  // "the backup is empty" or ended silently, status 0, having restored nothing.
  it.skipIf(!postgres)(
    'restores a SQLite backup into fresh PostgreSQL databases, every time',
    async () => {
      const RESTORES = 10;
      const dates = ['2025-10-22', '2025-10-23', '2025-10-24'];
      const windows = ['12:00', '13:00', '14:00', '20:00', '21:00'];
      const sourceDir = join(work, 'busy');
      const source = await openSqlite(sourceDir);
      try {
        await source.app.seedDemo({ actor: 'test' });
        for (let i = 0; i < 30; i++) {
          const created = await source.app.createBooking(
            {
              ...DAY,
              date: dates[i % dates.length]!,
              partySize: 2,
              durationMinutes: 60,
              windowStart: windows[Math.floor(i / 3) % windows.length]!,
            },
            { actor: 'test' },
          );
          expect(created.status).toBe(201);
        }
        await source.app.cancelBooking((await source.app.listDay(DAY)).items[1]!.id, { actor: 'test' });
      } finally {
        await source.close();
      }
      const file = join(work, 'busy.jsonl');
      expect(wokibrain(['backup', file], sourceDir)).toMatchObject({
        status: 0,
        stdout: `backed up 39 events and 0 guest profiles to ${file}\n`,
      });

      const databases: { url: string; drop(): Promise<void> }[] = [];
      const network = await slowPostgres(20);
      try {
        for (let i = 0; i < RESTORES; i++) databases.push(await freshDatabase());
        const runs = await Promise.all(
          databases.map((database) => wokibrainAsync(['restore', file], { STORE: 'postgres', DATABASE_URL: network.urlFor(database.url) })),
        );
        expect(
          runs.map(({ status, stdout }) => ({ status, stdout })),
          runs.map((run) => run.stderr).join(''),
        ).toEqual(Array.from({ length: RESTORES }, () => ({ status: 0, stdout: `restored 39 events from ${file}\n` })));

        const sourceAgain = await openSqlite(sourceDir);
        try {
          const expected = await Promise.all(dates.map((date) => sourceAgain.app.listDay({ ...DAY, date })));
          expect(expected.map((day) => day.items.length)).toEqual([11, 10, 10]);
          for (const database of databases) {
            const restored = await composeFromConfig({
              store: 'postgres',
              dataDir: work,
              databaseUrl: database.url,
              redisUrl: undefined,
              idempotencyRetentionMs: 60_000,
            });
            try {
              expect(await Promise.all(dates.map((date) => restored.app.listDay({ ...DAY, date })))).toEqual(expected);
            } finally {
              await restored.close();
            }
          }
        } finally {
          await sourceAgain.close();
        }
      } finally {
        await network.close();
        await Promise.all(databases.map((database) => database.drop()));
      }
    },
    120_000,
  );

  it('prints its usage and exits 2 for an unknown command', () => {
    const run = wokibrain(['frobnicate'], join(work, 'unused'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: wokibrain <command>/);
  });
});
