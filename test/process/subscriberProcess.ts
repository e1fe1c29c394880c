/**
 * A subscriber as a process of its own, for the crash and multi-process tests:
 * `node --import tsx test/process/subscriberProcess.ts`. It appends one line
 * "<position>" per handled event to OUT_FILE (synchronously, so a SIGKILL loses
 * nothing it reported) and prints "subscribed" once running. SIGTERM stops it
 * cleanly; SIGKILL is the crash.
 *
 * Environment: SUBSCRIBER_STORE (postgres | sqlite), DATABASE_URL and PG_SCHEMA,
 * or SQLITE_FILE; SUBSCRIPTION, OWNER, OUT_FILE, HANDLER_MS, LEASE_MS, POLL_MS.
 */
import { appendFileSync } from 'node:fs';
import type { SubscriptionStore } from '../../src/application/ports/eventSubscriptions.js';
import { subscribe } from '../../src/application/subscriptions/subscribe.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

async function openStore(): Promise<SubscriptionStore & { close(): Promise<void> }> {
  if (env('SUBSCRIBER_STORE') === 'postgres') {
    const { openPostgresStore } = await import('../../src/adapters/postgres/openPostgresStore.js');
    return openPostgresStore({ connectionString: env('DATABASE_URL'), schema: env('PG_SCHEMA'), maxConnections: 2 });
  }
  const { SqliteStore } = await import('../../src/adapters/sqlite/sqliteStore.js');
  return SqliteStore.open(env('SQLITE_FILE'));
}

const store = await openStore();
const handlerMs = Number(env('HANDLER_MS'));
const outFile = env('OUT_FILE');
const subscription = subscribe(
  store,
  env('SUBSCRIPTION'),
  async (event) => {
    await new Promise((resolve) => setTimeout(resolve, handlerMs));
    appendFileSync(outFile, `${event.position}\n`);
  },
  {
    owner: env('OWNER'),
    leaseMs: Number(env('LEASE_MS')),
    pollMs: Number(process.env.POLL_MS ?? 20),
    onError: (error) => console.error('subscriber error:', error),
  },
);
// The runner's timers are unref'd by design: the open stdin keeps this process alive, and
// its end (the test process went away) ends it, so that no subscriber outlives its test.
process.stdin.resume();
process.stdin.once('end', () => process.exit(1));
process.once('SIGTERM', () => {
  void subscription
    .stop()
    .then(() => store.close())
    .finally(() => process.exit(0));
});
console.log('subscribed');
