#!/usr/bin/env node
// Runs the whole suite once per process time zone: no answer may depend on TZ.
import { spawnSync } from 'node:child_process';

const zones = (process.env.TEST_ZONES ?? 'UTC,Asia/Tokyo,America/Argentina/Buenos_Aires').split(',');
const extra = process.argv.slice(2);

for (const zone of zones) {
  console.log(`\n=== vitest with TZ=${zone} ===`);
  const run = spawnSync('npx', ['vitest', 'run', ...extra], {
    stdio: 'inherit',
    env: { ...process.env, TZ: zone },
  });
  if (run.status !== 0) {
    console.error(`tests failed with TZ=${zone}`);
    process.exit(run.status ?? 1);
  }
}
console.log(`\nall tests passed under ${zones.length} time zones: ${zones.join(', ')}`);
