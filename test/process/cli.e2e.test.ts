import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeFromConfig } from '../../src/compose.js';

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

async function openSqlite(dataDir: string) {
  return composeFromConfig({ store: 'sqlite', dataDir, databaseUrl: undefined, redisUrl: undefined, idempotencyRetentionMs: 60_000 });
}

describe('wokibrain command line', () => {
  let work = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'wokibrain-cli-'));
    const source = await openSqlite(join(work, 'source'));
    await source.app.seedDemo({ actor: 'test' });
    await source.app.createBooking({ ...DAY, partySize: 4, durationMinutes: 60, windowStart: '12:00' }, { actor: 'test' });
    await source.close();
  });

  afterAll(() => rm(work, { recursive: true, force: true }));

  it('migrates, backs up, restores into an empty store and rebuilds to the same day', async () => {
    const target = join(work, 'target');
    const file = join(work, 'log.jsonl');
    expect(wokibrain(['migrate'], target)).toMatchObject({ status: 0, stdout: 'schema is up to date\n' });
    const backup = wokibrain(['backup', file], join(work, 'source'));
    expect(backup).toMatchObject({ status: 0, stdout: `backed up 9 events to ${file}\n` });
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ format: 'wokibrain-event-log', version: 1 });
    expect(lines).toHaveLength(10);

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
    } finally {
      await source.close();
      await restored.close();
    }
  });

  it('prints its usage and exits 2 for an unknown command', () => {
    const run = wokibrain(['frobnicate'], join(work, 'unused'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: wokibrain <command>/);
  });
});
