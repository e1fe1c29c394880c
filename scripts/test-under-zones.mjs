#!/usr/bin/env node
// Runs the suite once per process time zone: no answer may depend on TZ. The whole suite runs in the first
// zone; the others run the levels where local time is computed (the engine and deciders, and HTTP requests
// with dates and windows). The store integration tests (int) work in instants and stored date strings, and the
// killed-and-restarted server processes test durability: once, in the first zone, is enough for both.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const zones = (process.env.TEST_ZONES ?? 'UTC,Asia/Tokyo,America/Argentina/Buenos_Aires').split(',');
const extra = process.argv.slice(2);
// Server processes are tested on their own, after the in-process levels, so that they never compete for the CPU.
const stages =
  extra.length > 0
    ? [extra]
    : [
        ['--project', 'unit', '--project', 'int', '--project', 'e2e'],
        ['--project', 'process'],
      ];
const timeSensitive = [['--project', 'unit', '--project', 'e2e']];

const reports = mkdtempSync(join(tmpdir(), 'wokibrain-tests-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedZone = null;

zones: for (const [zoneIndex, zone] of zones.entries()) {
  const zoneStages = zoneIndex === 0 || extra.length > 0 ? stages : timeSensitive;
  for (const [index, stage] of zoneStages.entries()) {
    console.log(`\n=== vitest ${stage.join(' ')} with TZ=${zone} ===`);
    const report = join(reports, `${zone.replaceAll('/', '_')}-${index}.json`);
    const run = spawnSync('npx', ['vitest', 'run', ...stage, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
      stdio: 'inherit',
      env: { ...process.env, TZ: zone },
    });
    try {
      const counts = JSON.parse(readFileSync(report, 'utf8'));
      totals.passed += counts.numPassedTests;
      totals.failed += counts.numFailedTests;
      totals.skipped += counts.numPendingTests + counts.numTodoTests;
    } catch {
      totals.failed += 1; // no report: the run itself broke
    }
    if (run.status !== 0) {
      failedZone = zone;
      break zones;
    }
  }
}
rmSync(reports, { recursive: true, force: true });

if (failedZone) console.error(`\ntests failed with TZ=${failedZone}`);
else console.log(`\nall tests passed under ${zones.length} time zones: ${zones.join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedZone ? 1 : 0);
