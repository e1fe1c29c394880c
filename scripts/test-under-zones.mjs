#!/usr/bin/env node
// Runs the whole suite once per process time zone: no answer may depend on TZ.
import { spawnSync } from 'node:child_process';

const zones = (process.env.TEST_ZONES ?? 'UTC,Asia/Tokyo,America/Argentina/Buenos_Aires').split(',');
const extra = process.argv.slice(2);

// Server processes are tested on their own, after the in-process levels, so that they never compete for the CPU.
const stages = extra.length > 0 ? [extra] : [['--project', 'unit', '--project', 'int', '--project', 'e2e'], ['--project', 'process']];

for (const zone of zones) {
  for (const stage of stages) {
    console.log(`\n=== vitest ${stage.join(' ')} with TZ=${zone} ===`);
    const run = spawnSync('npx', ['vitest', 'run', ...stage], {
      stdio: 'inherit',
      env: { ...process.env, TZ: zone },
    });
    if (run.status !== 0) {
      console.error(`tests failed with TZ=${zone}`);
      process.exit(run.status ?? 1);
    }
  }
}
console.log(`\nall tests passed under ${zones.length} time zones: ${zones.join(', ')}`);
