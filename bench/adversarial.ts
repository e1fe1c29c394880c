import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ENGINE_SLICE_MS } from '../src/application/queries/engineSlices.js';
import { craftedCases } from './adversarialCases.js';
import { describeSpec, mutate, parseSpec, randomSpec, type RandomSpec } from './adversarialRandom.js';
import type { CaseRef, Job, Report } from './adversarialWorker.js';
import { mulberry32 } from './prng.js';
import { percentile } from './stats.js';
import { BENCH_COLUMNS, ms, renderTable, type Row } from './table.js';

/**
 * Issue 10's adversarial benchmark: inputs crafted to be the engine's worst cases,
 * and a seeded random search (hill-climbing on measured time) for slow ones it
 * missed. The target is the bound the issue asks for: no single discover or create
 * spends more than 50 ms of engine time at up to 200 tables and 5,000 blocks.
 */

const TARGET_MS = 50;
const DEFAULT_SEED = 10;

export interface AdversarialOptions {
  quick: boolean;
  seed?: number;
  /** Per crafted call: a call still running after this is cut and reported as a miss. */
  timeoutSeconds?: number;
  searchSeconds?: number;
  /** Only crafted cases whose name or label contains this; the random search runs when it matches "random search". */
  filter?: string | undefined;
  /** Time this one random input only (a spec the search printed). */
  only?: RandomSpec;
  progress?: (text: string) => void;
}

interface Measured {
  tables: number;
  blocks: number;
  samples: number[];
  /** Per call: the longest the event loop went without a turn. */
  holds: number[];
  found: number;
  wrong: string | null;
  timedOut: boolean;
  error?: string;
}

interface Settings {
  timeoutMs: number;
}

/** One worker thread at a time (timings must not share the CPU); replaced after a call is cut. */
class Timer {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 0;

  private start(): Promise<void> {
    // tsx's loader does not follow into worker threads on Node 20: the worker registers it itself.
    const boot = `const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then((tsx) => tsx.tsImport(workerData.file, workerData.file));`;
    const worker = new Worker(boot, { eval: true, workerData: { file: new URL('./adversarialWorker.ts', import.meta.url).href } });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (report: Report) => {
        if (report.type !== 'ready') return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return this.ready;
  }

  async time(ref: CaseRef, maxCalls: number, budgetMs: number, timeoutMs: number): Promise<Measured> {
    if (!this.worker) await this.start();
    else await this.ready;
    const worker = this.worker!;
    const job: Job = { id: ++this.nextId, ref, maxCalls, budgetMs };
    return new Promise<Measured>((resolve) => {
      const measured: Measured = { tables: 0, blocks: 0, samples: [], holds: [], found: 0, wrong: null, timedOut: false };
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          finish({ ...measured, timedOut: true });
          this.worker = undefined;
          void worker.terminate();
        }, timeoutMs);
      };
      const finish = (result: Measured) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(result);
      };
      const onError = (error: Error) => {
        this.worker = undefined;
        finish({ ...measured, error: error.message });
      };
      const onMessage = (report: Report) => {
        if (report.type === 'ready' || report.id !== job.id) return;
        switch (report.type) {
          case 'built':
            measured.tables = report.tables;
            measured.blocks = report.blocks;
            arm();
            break;
          case 'call':
            measured.samples.push(report.ms);
            arm();
            break;
          case 'done':
            finish({ ...measured, samples: report.samples, holds: report.holds, found: report.found, wrong: report.wrong });
            break;
          case 'failed':
            finish({ ...measured, error: report.error });
        }
      };
      const onExit = (code: number) => {
        this.worker = undefined;
        finish({ ...measured, error: `worker exited with code ${code}` });
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      // Armed from the start too: building an input is quick, and a worker that dies silently must not hang the bench.
      arm();
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

const sortedCopy = (samples: readonly number[]) => Float64Array.from(samples).sort();
const median = (samples: readonly number[]) => percentile(sortedCopy(samples), 50);
const slowest = (samples: readonly number[]) => Math.max(...samples);

function seconds(value: number): string {
  return `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)} s`;
}

function scaleOf(m: Measured): string {
  return `adversarial, ${m.tables} t / ${m.blocks.toLocaleString('en-US')} blk`;
}

function resultOf(m: Measured, settings: Settings): string {
  if (m.error !== undefined) return `MISS (error: ${m.error.split('\n')[0]})`;
  if (m.timedOut) return `MISS (> ${seconds(settings.timeoutMs)}, timed out)`;
  if (m.wrong !== null) return `MISS (wrong: ${m.wrong})`;
  return slowest(m.samples) <= TARGET_MS ? 'pass' : 'MISS';
}

function row(scale: string, label: string, m: Measured, settings: Settings, sample?: string): Row {
  const calls = `${m.samples.length} call${m.samples.length === 1 ? '' : 's'}`;
  const cut = m.timedOut ? `> ${seconds(settings.timeoutMs)}` : undefined;
  return [
    scale,
    'engine',
    label,
    sample ?? (m.timedOut ? `${calls} + 1 cut` : calls),
    cut && m.samples.length === 0 ? cut : ms(median(m.samples)),
    cut ?? ms(slowest(m.samples)),
    '—',
    m.timedOut || m.error !== undefined ? '—' : String(m.found),
    `≤ ${TARGET_MS} ms`,
    resultOf(m, settings),
  ];
}

interface Scored {
  spec: RandomSpec;
  cost: number;
  measured: Measured;
}

interface SearchOutcome {
  worst: Scored;
  evaluated: number;
  /** Inputs whose call was cut at the time limit. */
  cut: number;
  rounds: number;
  seconds: number;
  wrong: Scored[];
}

/**
 * Hill-climbing on measured engine time: a seeded population of random floors,
 * then rounds that mutate the slowest few and keep whatever is slower still. The
 * inputs it tries follow from the seed; which ones it keeps follows from timings,
 * so the worst input is reported as a spec that rebuilds it exactly.
 */
async function search(
  timer: Timer,
  o: { seed: number; quick: boolean; seconds: number; timeoutMs: number },
  progress: (t: string) => void,
) {
  const random = mulberry32(o.seed);
  const startedAt = performance.now();
  const deadline = startedAt + o.seconds * 1000;
  const maxRounds = o.quick ? 10 : 40;
  const all: Scored[] = [];
  const wrong: Scored[] = [];
  const evaluate = async (spec: RandomSpec): Promise<Scored> => {
    const measured = await timer.time({ random: spec }, 3, 150, o.timeoutMs);
    const cost = measured.timedOut ? Number.POSITIVE_INFINITY : measured.error !== undefined ? -1 : median(measured.samples);
    const scored = { spec, cost, measured };
    all.push(scored);
    if (measured.wrong !== null || measured.error !== undefined) wrong.push(scored);
    return scored;
  };
  const finished = () => all.filter((s) => s.cost >= 0 && Number.isFinite(s.cost)).sort((a, b) => b.cost - a.cost);
  const cut = () => all.filter((s) => s.cost === Number.POSITIVE_INFINITY);
  const stop = () => performance.now() > deadline;
  for (let i = 0; i < (o.quick ? 12 : 40) && !stop(); i++) await evaluate(randomSpec(random));
  let rounds = 0;
  while (rounds < maxRounds && !stop()) {
    rounds++;
    // Climb from the slowest inputs that finished (a cut one would only be cut again); fresh ones fill the gaps.
    const parents = finished().slice(0, 4);
    while (parents.length < 4) parents.push({ spec: randomSpec(random), cost: 0, measured: parents[0]?.measured ?? all[0]!.measured });
    for (const parent of parents) {
      for (let child = 0; child < 2 && !stop(); child++) {
        let spec = mutate(random, parent.spec);
        if (random() < 0.3) spec = mutate(random, spec);
        await evaluate(spec);
      }
    }
    progress(
      `random search round ${rounds}: ${all.length} inputs (${cut().length} cut), slowest finished ${ms(finished()[0]?.cost ?? Number.NaN)}`,
    );
  }
  const seconds = (performance.now() - startedAt) / 1000;
  let worst = cut()[0] ?? finished()[0] ?? all[0]!;
  if (Number.isFinite(worst.cost)) {
    // Measure the few slowest again, with more calls, and keep the slowest of those.
    const again: Scored[] = [];
    for (const s of finished().slice(0, 3)) {
      const measured = await timer.time({ random: s.spec }, 7, 1_000, o.timeoutMs);
      again.push({ spec: s.spec, cost: measured.timedOut ? Number.POSITIVE_INFINITY : median(measured.samples), measured });
    }
    worst = again.sort((a, b) => b.cost - a.cost)[0] ?? worst;
  }
  return { worst, evaluated: all.length, cut: cut().length, rounds, seconds, wrong } satisfies SearchOutcome;
}

function shortSpec(spec: RandomSpec): string {
  const layout = spec.pattern === 'hot' ? `hot ${spec.hotShare / 10}%` : spec.pattern;
  return `${spec.mix} sizes, ${layout}, party ${spec.party}, ${spec.duration} min, ${spec.service}, ${spec.prefer}, limit ${spec.limit}`;
}

/** The adversarial rows (for `npm run bench`'s engine section) and the lines to print under the table. */
export async function adversarialBench(options: AdversarialOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const progress = options.progress ?? (() => {});
  const settings: Settings = { timeoutMs: (options.timeoutSeconds ?? (options.quick ? 2 : 10)) * 1000 };
  const seed = options.seed ?? DEFAULT_SEED;
  const maxCalls = options.quick ? 3 : 5;
  const budgetMs = options.quick ? 300 : 1_000;
  const timer = new Timer();
  const rows: Row[] = [];
  const notes: string[] = [];
  let hold = { ms: 0, label: '' };
  const held = (m: Measured, label: string) => {
    const worst = m.timedOut ? Number.POSITIVE_INFINITY : m.holds.length > 0 ? slowest(m.holds) : 0;
    if (worst > hold.ms) hold = { ms: worst, label };
  };
  try {
    if (options.only) {
      const m = await timer.time({ random: options.only }, 7, 2_000, settings.timeoutMs);
      rows.push(row(scaleOf(m), shortSpec(options.only), m, settings));
      held(m, shortSpec(options.only));
      if (m.wrong !== null) notes.push(`wrong answer: ${m.wrong}`);
    } else {
      const filter = options.filter;
      for (const c of craftedCases.filter((c) => filter === undefined || `${c.name} ${c.label}`.includes(filter))) {
        progress(`adversarial: ${c.label}`);
        const m = await timer.time({ crafted: c.name }, maxCalls, budgetMs, settings.timeoutMs);
        rows.push(row(scaleOf(m), c.label, m, settings));
        held(m, c.label);
      }
      if (filter === undefined || 'random search'.includes(filter)) {
        const searchSeconds = options.searchSeconds ?? (options.quick ? 4 : 30);
        const searchTimeoutMs = Math.min(settings.timeoutMs, options.quick ? 1_000 : 3_000);
        progress(`adversarial: random search, seed ${seed}, ${searchSeconds} s`);
        const found = await search(timer, { seed, quick: options.quick, seconds: searchSeconds, timeoutMs: searchTimeoutMs }, progress);
        const { worst } = found;
        const m: Measured =
          found.wrong.length > 0 && worst.measured.wrong === null
            ? { ...worst.measured, wrong: `${found.wrong.length} of ${found.evaluated} inputs answered wrongly` }
            : worst.measured;
        const sample = `${found.evaluated} inputs (${found.cut} cut), ${found.rounds} rounds / ${found.seconds.toFixed(0)} s; worst: ${m.samples.length} calls`;
        rows.push(
          row(
            `adversarial random search, seed ${seed}`,
            `worst found: ${shortSpec(worst.spec)}`,
            m,
            { timeoutMs: searchTimeoutMs },
            sample,
          ),
        );
        held(m, `random search worst (${shortSpec(worst.spec)})`);
        notes.push(
          `random search: seed ${seed}, ${found.evaluated} inputs in ${found.rounds} rounds (${found.seconds.toFixed(1)} s), ${found.cut} cut after ${seconds(searchTimeoutMs)}; ` +
            `worst input, rebuilt exactly by: npm run bench:adversarial -- --case '${describeSpec(worst.spec)}'`,
        );
        for (const w of found.wrong.slice(0, 5)) {
          notes.push(`  wrong answer (${w.measured.wrong ?? w.measured.error}): --case '${describeSpec(w.spec)}'`);
        }
      }
    }
  } finally {
    await timer.close();
  }
  const holdText = hold.ms === Number.POSITIVE_INFINITY ? `more than ${seconds(settings.timeoutMs)} (a call was cut)` : ms(hold.ms);
  rows.push([
    'adversarial, every input above',
    'engine',
    `longest event-loop hold within a call (slices of ${ENGINE_SLICE_MS} ms)`,
    hold.label,
    '—',
    holdText,
    '—',
    '—',
    `≤ ${TARGET_MS} ms`,
    hold.ms <= TARGET_MS ? 'pass' : 'MISS',
  ]);
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  notes.unshift(
    `adversarial: the engine alone in a worker thread, hrtime per call, each input built once beforehand (not timed); ` +
      `up to ${maxCalls} calls per case (fewer once ${budgetMs} ms is spent; one if it is slow), p50 = median, p99 = the slowest call ` +
      `(nearest-rank p99 of ≤ 100 calls); a call still running after ${seconds(settings.timeoutMs)} is cut; target: the slowest call ≤ ${TARGET_MS} ms; ` +
      `load average at the end ${load} on ${cpus().length} CPUs (other processes' load lengthens the slowest calls)`,
    `longest event-loop hold: ${holdText} (${hold.label}) — each call runs as the server runs it: the grid, then the search through inSlices, ` +
      `which lets the event loop turn once ${ENGINE_SLICE_MS} ms have been spent, at the engine's next pause (it pauses every few milliseconds of work, between oracles or counts walked); ` +
      `a check at every turn measures the longest stretch without one`,
  );
  return { rows, notes };
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string' },
      timeout: { type: 'string' },
      'search-seconds': { type: 'string' },
      filter: { type: 'string' },
      case: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (flags.help) {
    console.log(`npm run bench:adversarial -- [options]
  --quick             short run: 3 calls a case, 2 s cut-off, 4 s of random search
  --seed N            seed of the random search (default ${DEFAULT_SEED})
  --timeout S         cut a crafted call after S seconds (default 10, 2 with --quick)
  --search-seconds S  time for the random search (default 30, 4 with --quick)
  --filter TEXT       only crafted cases whose name or label contains TEXT ("random search" for the search alone)
  --case SPEC         time one input of the random search, as printed: 'seed=…,tables=…,…'`);
    return;
  }
  const startedAt = Date.now();
  const { rows, notes } = await adversarialBench({
    quick: flags.quick,
    ...(flags.seed === undefined ? {} : { seed: Number(flags.seed) }),
    ...(flags.timeout === undefined ? {} : { timeoutSeconds: Number(flags.timeout) }),
    ...(flags['search-seconds'] === undefined ? {} : { searchSeconds: Number(flags['search-seconds']) }),
    filter: flags.filter,
    ...(flags.case === undefined ? {} : { only: parseSpec(flags.case) }),
    progress: (text) => process.stderr.write(`[bench] ${text}\n`),
  });
  const cpu = cpus();
  const misses = rows.filter((r) => r && r[9]!.startsWith('MISS')).length;
  const checked = rows.filter((r) => r && r[9] !== '—').length;
  console.log(
    [
      '',
      `WokiBrain adversarial engine benchmark (issue 10) — node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}`,
      '',
      ...renderTable(BENCH_COLUMNS, rows),
      '',
      ...notes,
      `${checked - misses}/${checked} targets met; total ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
    ].join('\n'),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
