/**
 * How long a waitlist promotion takes after the cancel that frees the seats: the
 * reaction runs on a durable subscription to the log, woken at once by a commit
 * in its own process and by polling (every 250 ms) when another process commits.
 * Usage: npm run bench:promotion [-- --rounds 20]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processOwner } from '../src/adapters/runtime/system.js';
import { startReactions } from '../src/application/subscriptions/reactions.js';
import { composeFromConfig, type Composition } from '../src/compose.js';
import { freshDatabase } from '../test/support/freshDatabase.js';
import { ms, renderTable } from './table.js';

const admin = { actor: 'bench' };
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 20;
/** The sweeper's period in `serve`: what promotion took before reactions, at worst. */
const SWEEP_MS = 5_000;

async function setUp(app: Composition['app']): Promise<void> {
  await app.registerRestaurant({ id: 'RP', name: 'Promotion', timezone: 'America/Argentina/Buenos_Aires' }, admin);
  await app.addSector({ id: 'SP', restaurantId: 'RP', name: 'One table' }, admin);
  await app.addTable({ id: 'TP', sectorId: 'SP', name: 'TP', minSize: 2, maxSize: 4 }, admin);
}

/** Books the only table, queues a party, cancels, and times until the party is booked as seen by `watcher`. */
async function promotionMs(writer: Composition, watcher: Composition, round: number): Promise<number> {
  const request = {
    restaurantId: 'RP',
    sectorId: 'SP',
    date: `2030-01-${String(1 + (round % 28)).padStart(2, '0')}`,
    partySize: 2,
    durationMinutes: 60,
  };
  const window = {
    windowStart: `${String(10 + Math.floor(round / 28)).padStart(2, '0')}:00`,
    windowEnd: `${String(11 + Math.floor(round / 28)).padStart(2, '0')}:00`,
  };
  const booked = await writer.app.createBooking({ ...request, ...window }, admin);
  const waiting = await writer.app.createBooking({ ...request, ...window, waitlist: true }, admin);
  if (waiting.status !== 202) throw new Error('expected the party to wait');
  const started = performance.now();
  await writer.app.cancelBooking(booked.body.id, admin);
  for (;;) {
    if ((await watcher.deps.reads.waitlistEntry(waiting.body.id))?.value.status === 'BOOKED') return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function summary(samples: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: sorted[Math.floor(sorted.length / 2)]!,
    p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!,
    max: sorted.at(-1)!,
  };
}

async function measure(store: string, open: () => Promise<[Composition, Composition]>): Promise<string[][]> {
  const [a, b] = await open();
  try {
    await setUp(a.app);
    // Only `b` reacts: a cancel made through `a` reaches it by polling, like a cancel in another process.
    const reactions = startReactions(b.deps, b.store, { owner: processOwner() });
    const local: number[] = [];
    const remote: number[] = [];
    for (let round = 0; round < rounds; round++) {
      local.push(await promotionMs(b, b, round * 2));
      remote.push(await promotionMs(a, b, round * 2 + 1));
    }
    await reactions.stop();
    return [
      ['same process', local],
      ['another process', remote],
    ].map(([label, samples]) => {
      const { p50, p99, max } = summary(samples as number[]);
      const target = label === 'same process' ? 250 : 1_000;
      return [store, label as string, ms(p50), ms(p99), ms(max), `< ${ms(target)}`, max < target ? 'pass' : 'MISS', `≤ ${ms(SWEEP_MS)}`];
    });
  } finally {
    await a.close();
    await b.close();
  }
}

const config = { redisUrl: undefined, idempotencyRetentionMs: 60_000 };
const rows: string[][] = [];
const dir = await mkdtemp(join(tmpdir(), 'wokibrain-promotion-'));
try {
  rows.push(
    ...(await measure('sqlite', async () => {
      const open = () => composeFromConfig({ ...config, store: 'sqlite', dataDir: dir, databaseUrl: undefined });
      return [await open(), await open()];
    })),
  );
  const database = await freshDatabase().catch(() => null);
  if (database) {
    try {
      rows.push(
        ...(await measure('postgres', async () => {
          const open = () => composeFromConfig({ ...config, store: 'postgres', dataDir: dir, databaseUrl: database.url });
          return [await open(), await open()];
        })),
      );
    } finally {
      await database.drop();
    }
  } else console.warn('PostgreSQL unreachable: its rows are skipped');
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(`waitlist promotion after a cancel, ${rounds} rounds each`);
console.log(
  renderTable(
    [
      { header: 'store' },
      { header: 'cancel made in' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
      { header: 'target' },
      { header: 'result' },
      { header: 'sweeper alone' },
    ],
    rows,
  ).join('\n'),
);
