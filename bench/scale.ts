import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  datesHeld,
  createRequest,
  dayRequests,
  discoverRequests,
  setupRequests,
  TABLES_PER_SECTOR,
  SECTORS_PER_RESTAURANT,
} from './scaleLayout.js';
import { closedLoop, cpuSeconds, probeHealth, rssBytes, type ClosedLoopResult, type ProbeResult } from './scaleLoad.js';
import { bulkLoad, freshStore, postgresUp, runCli, type BulkResult, type CliRun, type ScaleStore, type StoreKind } from './scaleStore.js';
import { buildOnce, serverEntry, settle, startServer, type RunningServer } from './server.js';
import { BENCH_COLUMNS, ms, renderTable, type Row } from './table.js';

/** Issue 11's targets, and the figures of the code before it that the restore target is measured against. */
const TARGET = {
  /** Creates/s at the largest stage, as a share of the first stage's. */
  createsKept: 0.85,
  /** Store-reading discover p99 at the largest stage, at most this many times the first stage's. */
  discoverP99Growth: 1.5,
  liveMaxMs: 20,
  /** PostgreSQL creates/s at 20k bookings, 16 clients: twice the 391/s the issue measured. */
  postgresCreatesAt20k: 800,
  postgresStageFor800: 20_000,
  /** Restore at least 3× faster than before: SQLite 300k bookings in 74 s, PostgreSQL 172k in 198 s. */
  restoreSpeedup: 3,
  restoreBefore: { sqlite: { bookings: 300_000, seconds: 74 }, postgres: { bookings: 172_000, seconds: 198 } },
  rebuildBefore: { sqlite: { bookings: 300_000, seconds: 34 }, postgres: { bookings: 172_000, seconds: 184 } },
} as const;

const CLIENTS = 16;
/**
 * Discover and the day list are measured one request at a time: their latency is then
 * the cost of the request (store reads included), not the queue of 16 clients on two cores.
 */
const READ_CLIENTS = 1;
/** The shipped sweep interval (SWEEP_MS), set explicitly so that the health window is known to span sweeps. */
const SWEEP_MS = 5_000;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    store: { type: 'string', default: 'both' },
    restaurants: { type: 'string' },
    stages: { type: 'string' },
    seconds: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'server-prof': { type: 'string' },
    'skip-maintenance': { type: 'boolean', default: false },
    'server-root': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(`npm run bench:scale -- [options]
  --quick                  50 restaurants, stages 5,000 and 20,000, 5 s windows (about a minute per store)
  --store sqlite|postgres|both   default both (PostgreSQL at DATABASE_URL or the local test server, skipped if down)
  --restaurants N          restaurants of 2 sectors × 15 tables (default 200)
  --stages A,B,C           bookings held at each stage (default 20000,100000,300000)
  --seconds N              seconds of each HTTP window (default 10)
  --skip-maintenance       no rebuild / backup / restore at the largest stage
  --no-build               use the existing dist/ instead of running npm run build
  --server-prof DIR        write a V8 CPU profile of each server process into DIR (node --cpu-prof)
  --server-root DIR        run the server built in another checkout (a worktree of an older commit, built there),
                           to measure it in turn with this one; its bookings are then loaded over HTTP
                           (POST /woki/bookings, 16 clients) and maintenance is skipped, since the in-process load
                           and the CLI are this checkout's code
Each stage: bookings are bulk-loaded through the application layer in process (server
stopped), then the server is started on the store and measured over HTTP.`);
  process.exit(0);
}

const quick = flags.quick;
const restaurants = Number(flags.restaurants ?? (quick ? 50 : 200));
const stages = (flags.stages ?? (quick ? '5000,20000' : '20000,100000,300000')).split(',').map(Number);
const seconds = Number(flags.seconds ?? (quick ? 5 : 10));
const warmupSeconds = quick ? 1 : 2;
/** Long enough for two sweeps. */
const healthSeconds = (2 * SWEEP_MS) / 1000 + 1;
/** Another checkout's server (see --server-root): its store is loaded through its own HTTP API. */
const serverRoot = flags['server-root'];
const kinds: StoreKind[] = flags.store === 'both' ? ['sqlite', 'postgres'] : [flags.store === 'postgres' ? 'postgres' : 'sqlite'];

const progress = (text: string) => process.stderr.write(`[scale] ${new Date().toISOString().slice(11, 19)} ${text}\n`);

interface StageResult {
  target: number;
  /** Bookings held at the end of the stage: the bulk, the warm-up creates and the create window. */
  held: number;
  bulk: BulkResult | undefined;
  create: ClosedLoopResult;
  /** The server process's CPU time per create answered, in ms. */
  createCpuMs: number;
  /** PostgreSQL: the database's transactions (statements outside BEGIN … COMMIT) per create answered. */
  createTransactions: number | undefined;
  discover: ClosedLoopResult;
  day: ClosedLoopResult;
  health: ProbeResult;
  live: ProbeResult;
  rss: number;
  storeBytes: number;
}

interface Maintenance {
  held: number;
  rebuild: CliRun;
  backup: CliRun;
  restore: CliRun;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const stageLabel = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : thousands(n));
const transactionsEach = (r: { createTransactions: number | undefined }) =>
  r.createTransactions === undefined ? [] : [`${r.createTransactions.toFixed(1)} PostgreSQL transactions each`];
const mib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1_048_576).toFixed(0)} MiB` : '—');

async function startOn(store: ScaleStore): Promise<RunningServer> {
  return startServer({
    ...(serverRoot === undefined ? {} : { root: serverRoot }),
    env: { ...store.env, SEED_DEMO: 'false', SWEEP_MS: String(SWEEP_MS) },
    nodeArgs: flags['server-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', flags['server-prof']],
    readyTimeoutMs: 60_000,
  });
}

/** The group through the admin API, eight requests at a time, restaurants before their sectors before their tables. */
async function setUp(server: RunningServer): Promise<number> {
  let sent = 0;
  for (const phase of setupRequests(restaurants)) {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < phase.length) {
          const { path, body } = phase[next++]!;
          const response = await fetch(`${server.baseUrl}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-admin-secret': server.adminSecret },
            body: JSON.stringify(body),
          });
          if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
          sent++;
        }
      }),
    );
  }
  return sent;
}

function checkLoad(what: string, result: ClosedLoopResult): void {
  if (result.failed > 0) progress(`  ${what}: ${result.failed} failed; the first: ${result.firstFailure}`);
  if (result.ok === 0) throw new Error(`${what}: no request answered as expected (${result.firstFailure})`);
}

async function measureStage(server: RunningServer, store: ScaleStore, cursor: { next: number; held: number }) {
  // The reads first, so that they see exactly the stage's bookings (the creates add to them).
  const dates = datesHeld(restaurants, cursor.next);
  progress(`  warm-up ${warmupSeconds} s: discover, then creates`);
  await closedLoop(server.baseUrl, READ_CLIENTS, warmupSeconds, discoverRequests(restaurants, dates, 7), [200, 409]);
  const creates = () => createRequest(restaurants, cursor.next++);
  const warm = await closedLoop(server.baseUrl, CLIENTS, warmupSeconds, creates, [201]);
  cursor.held += warm.ok;
  progress(`  discover (random sector, date of ${dates}, party, stay), ${READ_CLIENTS} client, ${seconds} s`);
  const discover = await closedLoop(server.baseUrl, READ_CLIENTS, seconds, discoverRequests(restaurants, dates, cursor.next), [200, 409]);
  checkLoad('discover', discover);
  progress(`  day list, ${READ_CLIENTS} client, ${seconds} s`);
  const dayList = dayRequests(restaurants, dates, cursor.next + 1, server.adminSecret);
  const day = await closedLoop(server.baseUrl, READ_CLIENTS, seconds, dayList, [200]);
  checkLoad('day list', day);
  progress(`  /health and /health/live in turn, nothing else sent, ${healthSeconds} s (sweeps every ${SWEEP_MS / 1000} s)`);
  const [health, live] = await probeHealth(server.baseUrl, ['/health', '/health/live'], healthSeconds);
  progress(`  POST /woki/bookings, ${CLIENTS} clients, ${seconds} s`);
  const transactionsBefore = await store.transactions?.();
  const cpuBefore = cpuSeconds(server.pid);
  const create = await closedLoop(server.baseUrl, CLIENTS, seconds, creates, [201]);
  // The server's CPU per create: steadier than creates/s on a machine whose speed drifts, for comparing code.
  const createCpuMs = ((cpuSeconds(server.pid) - cpuBefore) * 1000) / (create.ok + create.failed);
  // Everything the server ran in the window (the sweeper and the log subscribers too), per create.
  const transactionsAfter = await store.transactions?.();
  const createTransactions =
    transactionsBefore === undefined || transactionsAfter === undefined
      ? undefined
      : (transactionsAfter - transactionsBefore) / (create.ok + create.failed);
  checkLoad('create', create);
  cursor.held += create.ok;
  const rss = rssBytes(server.pid);
  return { create, createCpuMs, createTransactions, discover, day, health: health!, live: live!, rss };
}

/**
 * Creates through the server's API until the store holds `target` bookings, in windows of
 * a few seconds (the last may pass the target by one window's creates): how the issue first
 * loaded its stores, and the only way into a store of another commit's schema.
 */
async function loadOverHttp(store: ScaleStore, target: number, cursor: { next: number; held: number }): Promise<BulkResult> {
  const server = await startOn(store);
  const started = performance.now();
  let created = 0;
  let refused = 0;
  try {
    while (cursor.held < target) {
      const window = await closedLoop(server.baseUrl, CLIENTS, 5, () => createRequest(restaurants, cursor.next++), [201]);
      checkLoad('bulk load over HTTP', window);
      created += window.ok;
      refused += window.failed;
      cursor.held += window.ok;
      progress(`  ${thousands(cursor.held)} held`);
    }
  } finally {
    await server.stop();
  }
  return { created, refused, seconds: (performance.now() - started) / 1000 };
}

async function maintenance(store: ScaleStore, held: number): Promise<Maintenance> {
  progress(`  rebuild (${thousands(held)} bookings held)`);
  const rebuild = await runCli(store, ['rebuild']);
  const file = join(tmpdir(), `wokibrain-bench-scale-${store.kind}.jsonl`);
  try {
    progress('  backup');
    const backup = await runCli(store, ['backup', file]);
    const target = await freshStore(store.kind, 'wokibrain_bench_scale_restore');
    try {
      progress('  restore into a fresh store');
      const restore = await runCli(target, ['restore', file]);
      return { held, rebuild, backup, restore };
    } finally {
      await target.drop();
    }
  } finally {
    await rm(file, { force: true });
  }
}

async function runStore(kind: StoreKind): Promise<{ stages: StageResult[]; maintenance: Maintenance | undefined; label: string }> {
  const store = await freshStore(kind, kind === 'postgres' ? 'wokibrain_bench_scale' : 'wokibrain-bench-scale');
  progress(`${store.label}: ${restaurants} restaurants × ${SECTORS_PER_RESTAURANT} sectors × ${TABLES_PER_SECTOR} tables`);
  const results: StageResult[] = [];
  const cursor = { next: 0, held: 0 };
  let kept: Maintenance | undefined;
  try {
    let server = await startOn(store);
    try {
      const started = performance.now();
      const sent = await setUp(server);
      progress(`  ${sent} admin requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await server.stop();
    }
    for (const target of stages) {
      let bulk: BulkResult | undefined;
      if (cursor.held < target) {
        const how = serverRoot === undefined ? 'in process' : 'over HTTP';
        progress(`${store.label} ${stageLabel(target)}: bulk-loading ${thousands(target - cursor.held)} bookings ${how}`);
        if (serverRoot === undefined) {
          const from = cursor.next;
          bulk = await bulkLoad(store, restaurants, from, from + (target - cursor.held), CLIENTS, progress);
          cursor.next = from + (target - cursor.held);
          cursor.held += bulk.created;
        } else {
          bulk = await loadOverHttp(store, target, cursor);
        }
        progress(`  ${thousands(bulk.created)} in ${bulk.seconds.toFixed(1)} s (${thousands(bulk.created / bulk.seconds)}/s)`);
      }
      server = await startOn(store);
      progress(`${store.label} ${stageLabel(target)}: server pid ${server.pid}, settled after ${(await settle(server.pid)) / 1000} s`);
      let measured;
      try {
        measured = await measureStage(server, store, cursor);
      } finally {
        await server.stop();
      }
      const storeBytes = await store.sizeBytes();
      results.push({ target, held: cursor.held, bulk, ...measured, storeBytes });
      progress(
        `  ${Math.round(measured.create.okPerSecond)} creates/s (server CPU ${measured.createCpuMs.toFixed(2)} ms each${transactionsEach(
          measured,
        )
          .map((t) => `; ${t}`)
          .join('')}); discover p99 ${ms(measured.discover.p99Ms)}; live max ${ms(measured.live.maxMs)}`,
      );
    }
    // The CLI is this checkout's: it would not read another commit's store.
    if (!flags['skip-maintenance'] && serverRoot === undefined) kept = await maintenance(store, cursor.held);
  } finally {
    await store.drop();
  }
  return { stages: results, maintenance: kept, label: store.label };
}

const verdict = (ok: boolean) => (ok ? 'pass' : 'MISS');

function stageRows(kind: StoreKind, label: string, results: StageResult[]): Row[] {
  const rows: Row[] = [];
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const several = results.length > 1;
  for (const r of results) {
    const scale = `${label}, ${stageLabel(r.target)}`;
    const isLast = several && r === last;
    if (r.bulk) {
      rows.push([
        scale,
        'app',
        serverRoot === undefined
          ? `bulk load: createBooking in process, ${CLIENTS} callers`
          : `bulk load: POST /woki/bookings, ${CLIENTS} clients`,
        `${thousands(r.bulk.created)} / ${r.bulk.seconds.toFixed(0)} s`,
        '—',
        '—',
        `${thousands(r.bulk.created / r.bulk.seconds)} bkg/s`,
        r.bulk.refused > 0 ? `${r.bulk.refused} refused` : '—',
        '— (set-up)',
        '—',
      ]);
    }
    let createTarget = '—';
    let createResult = '—';
    if (kind === 'postgres' && r.target === TARGET.postgresStageFor800) {
      createTarget = `≥ ${TARGET.postgresCreatesAt20k} creates/s`;
      createResult = verdict(r.create.okPerSecond >= TARGET.postgresCreatesAt20k);
    }
    if (isLast) {
      const floor = first.create.okPerSecond * TARGET.createsKept;
      createTarget = `≥ 85 % of ${stageLabel(first.target)} (${thousands(floor)}/s)`;
      createResult = verdict(r.create.okPerSecond >= floor);
    }
    const failures = (c: ClosedLoopResult) => (c.failed > 0 ? `${c.failed} failed` : '—');
    rows.push([
      scale,
      'HTTP',
      `POST /woki/bookings, ${CLIENTS} clients`,
      `${thousands(r.create.ok)} / ${r.create.seconds.toFixed(0)} s`,
      ms(r.create.p50Ms),
      ms(r.create.p99Ms),
      `${thousands(r.create.okPerSecond)} creates/s`,
      [`server CPU ${r.createCpuMs.toFixed(2)} ms each`, ...transactionsEach(r), ...(r.create.failed > 0 ? [failures(r.create)] : [])].join(
        '; ',
      ),
      createTarget,
      r.create.failed > 0 && createResult === 'pass' ? 'pass (with failures)' : createResult,
    ]);
    const ceiling = first.discover.p99Ms * TARGET.discoverP99Growth;
    rows.push([
      scale,
      'HTTP',
      `discover, reads the store (no memo hit), ${READ_CLIENTS} client`,
      `${thousands(r.discover.ok)} / ${r.discover.seconds.toFixed(0)} s`,
      ms(r.discover.p50Ms),
      ms(r.discover.p99Ms),
      `${thousands(r.discover.perSecond)} req/s`,
      failures(r.discover),
      isLast ? `p99 ≤ 1.5 × ${stageLabel(first.target)} (${ms(ceiling)})` : '—',
      isLast ? verdict(r.discover.p99Ms <= ceiling) : '—',
    ]);
    rows.push([
      scale,
      'HTTP',
      `GET /woki/bookings/day (staff), ${READ_CLIENTS} client`,
      `${thousands(r.day.ok)} / ${r.day.seconds.toFixed(0)} s`,
      ms(r.day.p50Ms),
      ms(r.day.p99Ms),
      `${thousands(r.day.perSecond)} req/s`,
      failures(r.day),
      '—',
      '—',
    ]);
    for (const [path, p, isLive] of [
      ['/health', r.health, false],
      ['/health/live', r.live, true],
    ] as const) {
      rows.push([
        scale,
        'HTTP',
        `GET ${path}, one at a time, sweeper running`,
        `${thousands(p.probes)} probes`,
        ms(p.p50Ms),
        ms(p.p99Ms),
        '—',
        `max ${ms(p.maxMs)}${p.failed > 0 ? `, ${p.failed} failed` : ''}`,
        isLive && r === last ? `max < ${TARGET.liveMaxMs} ms` : '—',
        isLive && r === last ? verdict(p.maxMs < TARGET.liveMaxMs && p.failed === 0) : '—',
      ]);
    }
    rows.push([
      scale,
      'server',
      'bookings held; server RSS; store on disk',
      `${thousands(r.held)} held`,
      '—',
      '—',
      '—',
      `RSS ${mib(r.rss)}, store ${mib(r.storeBytes)}`,
      '—',
      '—',
    ]);
    rows.push(null);
  }
  return rows;
}

function maintenanceRows(kind: StoreKind, label: string, m: Maintenance): Row[] {
  const scale = `${label}, ${thousands(m.held)} held`;
  const rate = (run: CliRun) => `${thousands(m.held / run.seconds)} bkg/s`;
  const rebuildBefore = TARGET.rebuildBefore[kind];
  const restoreBefore = TARGET.restoreBefore[kind];
  const beforeRate = restoreBefore.bookings / restoreBefore.seconds;
  const restoreRate = m.held / m.restore.seconds;
  return [
    [
      scale,
      'CLI',
      'wokibrain rebuild (batched)',
      '1 run',
      '—',
      '—',
      rate(m.rebuild),
      `${m.rebuild.seconds.toFixed(1)} s`,
      `— (before: ${rebuildBefore.seconds} s at ${stageLabel(rebuildBefore.bookings)})`,
      '—',
    ],
    [scale, 'CLI', 'wokibrain backup (JSON Lines)', '1 run', '—', '—', rate(m.backup), `${m.backup.seconds.toFixed(1)} s`, '—', '—'],
    [
      scale,
      'CLI',
      'wokibrain restore into a fresh store',
      '1 run',
      '—',
      '—',
      rate(m.restore),
      `${m.restore.seconds.toFixed(1)} s`,
      `≥ 3 × before (${restoreBefore.seconds} s at ${stageLabel(restoreBefore.bookings)}: ≥ ${thousands(beforeRate * TARGET.restoreSpeedup)} bkg/s)`,
      verdict(restoreRate >= beforeRate * TARGET.restoreSpeedup),
    ],
  ];
}

/** The command's output, shortened to its first and last lines when long. */
function excerpt(run: CliRun): string[] {
  const lines = run.lines.filter((line) => line.trim() !== '');
  if (lines.length <= 12) return lines;
  return [...lines.slice(0, 4), `… (${lines.length - 9} lines)`, ...lines.slice(-5)];
}

function commit(root?: string): string {
  const result = spawnSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8', ...(root === undefined ? {} : { cwd: root }) });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  if (!flags['no-build']) {
    progress('npm run build …');
    buildOnce();
  }
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const kind of kinds) {
    if (kind === 'postgres' && !(await postgresUp())) {
      progress('PostgreSQL unreachable (DATABASE_URL or the local test server): its rows are left out');
      notes.push('PostgreSQL: unreachable, not measured');
      continue;
    }
    const run = await runStore(kind);
    rows.push(...stageRows(kind, run.label, run.stages));
    if (run.maintenance) {
      rows.push(...maintenanceRows(kind, run.label, run.maintenance), null);
      for (const [name, cli] of [
        ['rebuild', run.maintenance.rebuild],
        ['backup', run.maintenance.backup],
        ['restore', run.maintenance.restore],
      ] as const) {
        notes.push(`${run.label} ${name} output (${cli.seconds.toFixed(1)} s):`, ...excerpt(cli).map((line) => `  ${line}`));
      }
    }
  }
  while (rows.length > 0 && rows[rows.length - 1] === null) rows.pop();
  const cpu = cpus();
  const lines = [
    '',
    `WokiBrain scale benchmark${quick ? ' (--quick)' : ''} — node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ` +
      `server of commit ${commit(serverRoot)}${serverRoot === undefined ? '' : ` (${serverRoot}, bookings loaded over HTTP)`}`,
    `${restaurants} restaurants × ${SECTORS_PER_RESTAURANT} sectors × ${TABLES_PER_SECTOR} tables, created through the admin API; ` +
      `stages ${stages.map(stageLabel).join(', ')} bookings, 8 per sector and date (history grows date by date)`,
    (serverRoot === undefined
      ? 'each stage: the bookings up to the stage bulk-loaded through the application layer in process (createBooking on the store, server stopped), '
      : `each stage: the bookings up to the stage created through the server's API (POST /woki/bookings, ${CLIENTS} clients), `) +
      `then the server \`node ${serverEntry(serverRoot).join(' ')}\` (SWEEP_MS=${SWEEP_MS}) measured over HTTP: ${warmupSeconds} s warm-up, ` +
      `discover and day list for ${seconds} s each, ${READ_CLIENTS} client (random sector, date, party and stay: no memo hit), ` +
      `/health and /health/live probed in turn one at a time for ${healthSeconds} s with nothing else sent, ` +
      `then creates for ${seconds} s with ${CLIENTS} clients (they add to the bookings held, on new dates); ` +
      'latency from a closed loop of keep-alive clients, per request',
    '',
    ...renderTable(BENCH_COLUMNS, rows),
    '',
    ...notes,
  ];
  const misses = rows.filter((row) => row && row[9]!.startsWith('MISS')).length;
  const checked = rows.filter((row) => row && row[9] !== '—').length;
  lines.push(`${checked - misses}/${checked} targets met; total ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
