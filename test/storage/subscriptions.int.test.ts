import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommittedEvent, LogCursor } from '../../src/application/ports/eventSubscriptions.js';
import { subscribe } from '../../src/application/subscriptions/subscribe.js';
import { openPostgresStore } from '../../src/adapters/postgres/openPostgresStore.js';
import type { PostgresStore } from '../../src/adapters/postgres/store.js';
import { decodeCursor } from '../../src/adapters/postgres/subscriptions.js';
import { POSTGRES_URL, postgresAvailable } from '../support/services.js';

const available = await postgresAvailable();

/**
 * The failure the transaction-id horizon exists for: positions are handed out in
 * one order and committed in another. Writers here are raw connections holding
 * their transactions open on purpose, so that the order is forced, not hoped for.
 */
describe.skipIf(!available)('PostgreSQL subscriptions: commits out of position order', () => {
  const schema = `wokibrain_test_${randomBytes(6).toString('hex')}`;
  let store: PostgresStore;
  const writers: pg.Client[] = [];

  beforeAll(async () => {
    store = await openPostgresStore({ connectionString: POSTGRES_URL, schema });
  });

  afterAll(async () => {
    await Promise.all(writers.map((client) => client.end().catch(() => {})));
    await store?.close();
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  async function writer(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema},public` });
    await client.connect();
    writers.push(client);
    return client;
  }

  /** An event row as an append writes it, inside whatever transaction `client` has open. */
  async function insertEvent(client: pg.Client): Promise<number> {
    const stream = `raw-${randomBytes(4).toString('hex')}`;
    const result = await client.query<{ position: string }>(
      `INSERT INTO events (stream, version, type, data, metadata, recorded_at)
       VALUES ($1, 1, 'RestaurantRegistered', '{}', '{"actor":"raw"}', 0) RETURNING position`,
      [stream],
    );
    return Number(result.rows[0]!.position);
  }

  /** Records what a subscriber is handed, starting at the log's end now. */
  async function recordingSubscriber(batchSize = 100) {
    const name = `sub-${randomBytes(4).toString('hex')}`;
    const delivered: CommittedEvent[] = [];
    const errors: unknown[] = [];
    const subscription = subscribe(store, name, async (event) => void delivered.push(event), {
      owner: 'test',
      from: 'end',
      pollMs: 5,
      batchSize,
      onError: (error) => errors.push(error),
    });
    await subscription.caughtUp();
    return { name, delivered, errors, subscription };
  }

  async function pollWhile(ms: number, look: () => Promise<void>): Promise<void> {
    for (const deadline = Date.now() + ms; Date.now() < deadline;) {
      await look();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function until(condition: () => boolean, what: string): Promise<void> {
    for (const deadline = Date.now() + 10_000; !condition();) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Two writers: the lower position's transaction left open (`early`), the higher one's committed. */
  async function higherCommittedLowerOpen(): Promise<{ early: pg.Client; lower: number; higher: number }> {
    const [early, late] = [await writer(), await writer()];
    await early.query('BEGIN');
    const lower = await insertEvent(early);
    await late.query('BEGIN');
    const higher = await insertEvent(late);
    expect(higher).toBeGreaterThan(lower);
    await late.query('COMMIT');
    return { early, lower, higher };
  }

  it('does not show a commit while a lower position is still uncommitted, then shows both in position order', async () => {
    const start = await store.committedEnd();
    const { delivered, errors, subscription } = await recordingSubscriber();
    const { early, lower, higher } = await higherCommittedLowerOpen();

    // The higher position is committed, the lower is not: a reader must see neither yet.
    await pollWhile(300, async () => {
      const { events: read, heldBack } = await store.readCommitted(start, 100);
      expect(heldBack).toBe(true);
      expect(read.map((event) => event.position)).not.toContain(higher);
      expect(delivered.map((event) => event.position)).not.toContain(higher);
    });

    await early.query('COMMIT');
    await until(() => delivered.length >= 2, 'both events');
    await subscription.stop();
    expect(delivered.map((event) => event.position)).toEqual([lower, higher]);
    expect((await store.readCommitted(start, 100)).events.map((event) => event.position)).toEqual([lower, higher]);
    expect(errors).toEqual([]);
  });

  it('caughtUp waits for a commit held back behind a transaction still running', async () => {
    const { delivered, errors, subscription } = await recordingSubscriber();
    const { early, lower, higher } = await higherCommittedLowerOpen();

    // Called with `higher` committed: it must not resolve before `higher` is handled, which waits for `lower`.
    let resolved = false;
    const waiting = subscription.caughtUp().then(() => (resolved = true));
    await pollWhile(300, async () => {
      expect(resolved).toBe(false);
    });
    await early.query('COMMIT');
    await waiting;
    expect(delivered.map((event) => event.position)).toEqual(expect.arrayContaining([lower, higher]));
    await subscription.stop();
    expect(errors).toEqual([]);
  });

  it('orders by committing transaction when positions were handed out the other way round, and saves that order', async () => {
    const start = await store.committedEnd();
    // One event per batch: a checkpoint saved after each, so the second save must move "back" in position.
    const { name, delivered, errors, subscription } = await recordingSubscriber(1);
    const [first, second] = [await writer(), await writer()];
    await first.query('BEGIN');
    await first.query('SELECT pg_current_xact_id()'); // its transaction id now, its position later
    await second.query('BEGIN');
    const lower = await insertEvent(second);
    const higher = await insertEvent(first);
    await second.query('COMMIT');
    await pollWhile(200, async () => {
      // Held back, and said so: a committed event is behind a transaction still running.
      expect(await store.readCommitted(start, 100)).toEqual({ events: [], heldBack: true });
    });
    await first.query('COMMIT');
    await until(() => delivered.length >= 2, 'both events');
    await subscription.stop();
    // The older transaction first, although its position is higher.
    expect(delivered.map((event) => event.position)).toEqual([higher, lower]);
    expectIncreasing(delivered.map((event) => event.cursor));
    // The checkpoint followed the cursor order, not the position: it rests on the lower position.
    expect(await store.checkpointOf(name)).toBe(delivered.at(-1)!.cursor);
    expect(errors).toEqual([]);
  });

  it('hands a subscriber every committed position exactly once, in cursor order, under concurrent writers that commit late or roll back', async () => {
    const { delivered, errors, subscription } = await recordingSubscriber();
    const committed: number[] = [];
    const clients = await Promise.all(Array.from({ length: 6 }, () => writer()));
    await Promise.all(
      clients.map(async (client, index) => {
        for (let round = 0; round < 12; round++) {
          await client.query('BEGIN');
          const positions = [await insertEvent(client)];
          if (round % 3 === 0) positions.push(await insertEvent(client));
          // Random hold times shuffle the commit order against the position order.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
          if ((round + index) % 7 === 0) {
            await client.query('ROLLBACK');
          } else {
            await client.query('COMMIT');
            committed.push(...positions);
          }
        }
      }),
    );
    await until(() => delivered.length >= committed.length, 'every committed event');
    await new Promise((resolve) => setTimeout(resolve, 100)); // room for a duplicate to show up
    await subscription.stop();
    const positions = delivered.map((event) => event.position);
    expect(new Set(positions).size).toBe(positions.length);
    expect([...positions].sort((a, b) => a - b)).toEqual([...committed].sort((a, b) => a - b));
    expectIncreasing(delivered.map((event) => event.cursor));
    expect(errors).toEqual([]);
  });

  it('compares transaction ids as numbers, not as text', async () => {
    // Rows as if written long ago, below every horizon, by transactions 10 and then 9: as text, '10' < '9'.
    const client = await writer();
    const inserted = await client.query<{ position: string }>(
      `INSERT INTO events (stream, version, type, data, metadata, recorded_at, transaction_id)
       VALUES ('old-10', 1, 'RestaurantRegistered', '{}', '{"actor":"raw"}', 0, '10'),
              ('old-9', 1, 'RestaurantRegistered', '{}', '{"actor":"raw"}', 0, '9')
       RETURNING position`,
    );
    const [byTen, byNine] = inserted.rows.map((row) => Number(row.position)) as [number, number];
    const firstTwo = (await store.readCommitted(null, 2)).events;
    expect(firstTwo.map((event) => event.position)).toEqual([byNine, byTen]);
    expect((await store.readCommitted(firstTwo[0]!.cursor, 1)).events.map((event) => event.position)).toEqual([byTen]);
    expectIncreasing(firstTwo.map((event) => event.cursor));
  });
});

/** Cursor pairs (transaction id, position) strictly increasing: the order never goes back. */
function expectIncreasing(cursors: readonly LogCursor[]): void {
  const pairs = cursors
    .map((cursor) => decodeCursor(cursor))
    .map(({ transactionId, position }) => [BigInt(transactionId), BigInt(position)] as const);
  for (let index = 1; index < pairs.length; index++) {
    const [previousTransaction, previousPosition] = pairs[index - 1]!;
    const [transaction, position] = pairs[index]!;
    const ahead = transaction > previousTransaction || (transaction === previousTransaction && position > previousPosition);
    expect(ahead, `cursor ${cursors[index]} after ${cursors[index - 1]}`).toBe(true);
  }
}
