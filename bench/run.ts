import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { composeInMemory } from '../src/compose.js';
import { caseLabel, engineCases, httpCases, scaleLabel, type BenchCase } from './cases.js';
import { engineRequest, timeDiscover, type EngineResult } from './engine.js';
import { BOOKINGS_ON_THE_DAY, loadBig, loadDemo } from './fixtures.js';
import { loadDiscover, loadPath, setUpBigSector, type LoadResult } from './http.js';
import { benchDurableWrites, freshPostgres, freshSqlite, postgresReachable, type FreshStore, type WriteRow } from './durableWrites.js';
import { loadCreates, type CreateLoad } from './httpWrites.js';
import { buildOnce, serverEntry, startServer } from './server.js';
import { ms, perSecond, renderTable, wholeMs, type Column, type Row } from './table.js';

const TARGET = {
  engineBigP99Ms: 5,
  httpDemoRps: 8_000,
  httpBigRps: 4_000,
  httpBigP99Ms: 25,
  sqliteWritesPerSecond: 1_000,
} as const;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'engine-only': { type: 'boolean', default: false },
    'http-only': { type: 'boolean', default: false },
    calls: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '20' },
    'no-build': { type: 'boolean', default: false },
    'server-prof': { type: 'string' },
    store: { type: 'string', default: 'sqlite' },
    'skip-writes': { type: 'boolean', default: false },
    filter: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(`npm run bench -- [options]
  --quick            short runs (300 engine calls, 3 s HTTP runs)
  --engine-only      skip the HTTP part         --http-only   skip the engine part
  --calls N          engine calls per row (default 2000)
  --seconds N        autocannon seconds per row (default 10)
  --connections N    autocannon connections (default 20)
  --no-build         use the existing dist/ instead of running npm run build
  --store memory|sqlite  STORE of the server process (default sqlite, the shipped default, in a temporary DATA_DIR)
  --skip-writes      skip the durable write part
  --filter TEXT      only rows whose scale or case contains TEXT (e.g. "party 20")
  --server-prof DIR  run the server with --cpu-prof, profiles written to DIR`);
  process.exit(0);
}

const calls = Number(flags.calls ?? (flags.quick ? 300 : 2_000));
const warmup = Math.max(50, Math.round(calls / 4));
const seconds = Number(flags.seconds ?? (flags.quick ? 3 : 10));
const warmupSeconds = flags.quick ? 1 : 2;
const connections = Number(flags.connections);
const store = flags.store === 'memory' ? 'memory' : 'sqlite';
const writeCount = flags.quick ? 1_000 : 4_000;

const selected = (c: BenchCase) => flags.filter === undefined || `${scaleLabel(c.scale)} ${caseLabel(c)}`.includes(flags.filter);

const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);

function engineRow(c: BenchCase, r: EngineResult): string[] {
  const target = c.scale === 'big' ? `p99 < ${TARGET.engineBigP99Ms} ms` : '—';
  const result = c.scale === 'big' ? (r.p99Ms < TARGET.engineBigP99Ms ? 'pass' : 'MISS') : '—';
  return [
    scaleLabel(c.scale),
    'engine',
    caseLabel(c),
    `${r.calls.toLocaleString('en-US')} calls`,
    ms(r.medianMs),
    ms(r.p99Ms),
    '—',
    String(r.found),
    target,
    result,
  ];
}

function httpRow(c: BenchCase, r: LoadResult, cache: string): string[] {
  const big = c.scale === 'big';
  const minRps = big ? TARGET.httpBigRps : TARGET.httpDemoRps;
  const target = big
    ? `≥ ${minRps.toLocaleString('en-US')} req/s, p99 < ${TARGET.httpBigP99Ms} ms`
    : `≥ ${minRps.toLocaleString('en-US')} req/s`;
  const misses: string[] = [];
  if (r.requestsPerSecond < minRps) misses.push('req/s');
  if (big && r.p99Ms >= TARGET.httpBigP99Ms) misses.push('p99');
  if (r.failures > 0) misses.push(`${r.failures} failed`);
  return [
    scaleLabel(c.scale),
    'HTTP',
    `${caseLabel(c)}, ${cache}`,
    `${r.total.toLocaleString('en-US')} req / ${r.seconds.toFixed(0)} s`,
    wholeMs(r.p50Ms),
    wholeMs(r.p99Ms),
    perSecond(r.requestsPerSecond),
    String(r.found),
    target,
    misses.length === 0 ? 'pass' : `MISS (${misses.join(', ')})`,
  ];
}

function durableRow(r: WriteRow): string[] {
  const target =
    r.store === 'SQLite' && r.shape.includes('sectors') ? `≥ ${TARGET.sqliteWritesPerSecond.toLocaleString('en-US')} bookings/s` : '—';
  const result = target === '—' ? '—' : r.perSecond >= TARGET.sqliteWritesPerSecond ? 'pass' : 'MISS';
  return [
    `durable, ${r.store}`,
    'app',
    `createBooking, ${r.shape}`,
    `${r.bookings.toLocaleString('en-US')} bookings / ${r.seconds.toFixed(1)} s`,
    '—',
    '—',
    `${perSecond(r.perSecond).replace('req/s', 'bkg/s')}`,
    '—',
    target,
    result,
  ];
}

function httpCreateRow(r: CreateLoad): string[] {
  return [
    `durable, ${store}`,
    'HTTP',
    'POST /woki/bookings, 20 sectors',
    `${r.created.toLocaleString('en-US')} created / ${r.seconds.toFixed(0)} s`,
    wholeMs(r.p50Ms),
    wholeMs(r.p99Ms),
    perSecond(r.requestsPerSecond),
    '—',
    '— (reference)',
    r.failures > 0 ? `${r.failures} not 2xx` : '—',
  ];
}

/** No target: what the same server answers when the route does no work. */
function baselineRow(r: LoadResult): string[] {
  return [
    'server baseline',
    'HTTP',
    'GET /health/live (no discover)',
    `${r.total.toLocaleString('en-US')} req / ${r.seconds.toFixed(0)} s`,
    wholeMs(r.p50Ms),
    wholeMs(r.p99Ms),
    perSecond(r.requestsPerSecond),
    '—',
    '— (reference)',
    r.failures > 0 ? `${r.failures} failed` : '—',
  ];
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  progress('building the day in process (demo seed + 100-table sector) …');
  const { app, deps } = composeInMemory();
  await loadDemo(app);
  const day = await loadBig(app);
  progress(`${day.accepted.length} bookings from ${day.attempts} seeded requests (${day.combos} on combinations)`);

  const engineRows: Row[] = [];
  if (!flags['http-only']) {
    for (const c of engineCases.filter(selected)) {
      progress(`engine ${scaleLabel(c.scale)}: ${caseLabel(c)}`);
      const request = await engineRequest(deps, c);
      engineRows.push(engineRow(c, timeDiscover(request, calls, warmup)));
    }
  }

  const httpRows: Row[] = [];
  const writeRows: Row[] = [];
  let mismatches = 0;
  if (!flags['engine-only']) {
    if (!flags['no-build']) {
      progress('npm run build …');
      buildOnce();
    }
    const nodeArgs = flags['server-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${flags['server-prof']}`] : [];
    // The shipped server keeps discover answers per sector revision; without that every request runs the engine.
    for (const [cache, env] of [
      ['answers cached', {}],
      ['engine each time', { DISCOVER_CACHE_ENTRIES: '0' }],
    ] as const) {
      const server = await startServer({ nodeArgs, store, env });
      progress(`server pid ${server.pid} at ${server.baseUrl} (${cache})`);
      const interrupted = () => void server.stop().then(() => process.exit(130));
      process.once('SIGINT', interrupted);
      try {
        progress(`setting up the 100-table sector over HTTP (${day.accepted.length} POST /woki/bookings) …`);
        ({ mismatches } = await setUpBigSector(server, day));
        const load = { seconds, warmupSeconds, connections };
        if (flags.filter === undefined && cache === 'answers cached') {
          progress(`HTTP baseline: GET /health/live (${seconds} s, ${connections} connections)`);
          httpRows.push(baselineRow(await loadPath(server, '/health/live', load)));
        }
        for (const c of httpCases.filter(selected)) {
          progress(`HTTP ${scaleLabel(c.scale)}: ${caseLabel(c)}, ${cache} (${seconds} s, ${connections} connections)`);
          httpRows.push(httpRow(c, await loadDiscover(server, c, load), cache));
        }
        if (cache === 'answers cached' && !flags['skip-writes']) {
          progress(`HTTP creates across 20 sectors (${seconds} s, ${connections} connections)`);
          writeRows.push(httpCreateRow(await loadCreates(server, seconds, connections)));
        }
      } finally {
        process.off('SIGINT', interrupted);
        await server.stop();
        progress('server stopped');
      }
    }
  }

  if (!flags['skip-writes'] && !flags['http-only']) {
    const stores: [string, () => Promise<FreshStore>][] = [['SQLite', freshSqlite]];
    if (await postgresReachable()) stores.push(['PostgreSQL', freshPostgres]);
    else progress('PostgreSQL unreachable: its write rows are left out');
    for (const [label, fresh] of stores) {
      progress(`durable writes through the application layer on ${label} (${writeCount} bookings per shape)`);
      for (const row of await benchDurableWrites(fresh, label, writeCount)) writeRows.push(durableRow(row));
    }
  }

  const columns: Column[] = [
    { header: 'scale' },
    { header: 'layer' },
    { header: 'case' },
    { header: 'sample', align: 'right' },
    { header: 'p50', align: 'right' },
    { header: 'p99', align: 'right' },
    { header: 'throughput', align: 'right' },
    { header: 'found', align: 'right' },
    { header: 'target' },
    { header: 'result' },
  ];
  const sections = [engineRows, httpRows, writeRows].filter((section) => section.length > 0);
  const rows: Row[] = sections.flatMap((section, i) => (i === 0 ? section : [null, ...section]));
  const cpu = cpus();
  const lines = [
    '',
    `WokiBrain discover benchmark — node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}`,
    `date 2025-10-22, America/Argentina/Buenos_Aires; 100-table sector: 30×(1–2) 40×(2–4) 20×(4–6) 10×(6–8), ` +
      `${day.accepted.length}/${BOOKINGS_ON_THE_DAY} bookings of 30–60 min (~71% of table-minutes) (${day.combos} on combinations)`,
    `engine: discoverSeatings only, hrtime per call, ${warmup} warm-up calls; ` +
      `HTTP: autocannon ${connections} connections, ${seconds} s after ${warmupSeconds} s warm-up, separate server process \`node ${serverEntry().join(' ')}\` (STORE=${store})`,
    '',
    ...renderTable(columns, rows),
    '',
  ];
  if (mismatches > 0) lines.push(`warning: ${mismatches} bookings replayed over HTTP got other tables than in process`);
  const misses = rows.filter((row) => row && row[9]!.startsWith('MISS')).length;
  const checked = rows.filter((row) => row && row[9] !== '—').length;
  lines.push(`${checked - misses}/${checked} targets met; total ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
