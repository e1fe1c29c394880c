import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { inSlices } from '../src/application/queries/engineSlices.js';
import { discoverSeatings, seatingDay, seatingsOnGridInSteps, stayGrid, type Candidate } from '../src/domain/seating/discoverSeatings.js';
import { craftedCases, type BuiltCase } from './adversarialCases.js';
import { verdict } from './adversarialCheck.js';
import { buildRandom, type RandomSpec } from './adversarialRandom.js';
import { MIXES } from './adversarialShapes.js';

/**
 * The timed side of the adversarial bench, in a worker thread so the main thread
 * can cut a call that runs away (`worker.terminate()` stops even synchronous code).
 * It builds each input once, untimed, then times the engine alone, run as the server runs it.
 */

export type CaseRef = { crafted: string } | { random: RandomSpec };

export interface Job {
  id: number;
  ref: CaseRef;
  maxCalls: number;
  /** No new call starts once the calls so far took this long. */
  budgetMs: number;
}

export type Report =
  | { type: 'ready' }
  | { id: number; type: 'built'; tables: number; blocks: number }
  | { id: number; type: 'call'; ms: number }
  | { id: number; type: 'done'; samples: number[]; holds: number[]; found: number; wrong: string | null }
  | { id: number; type: 'failed'; error: string };

// A full collection between building an input and timing it: the garbage of the build is not the engine's.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function build(ref: CaseRef): BuiltCase {
  if ('random' in ref) return buildRandom(ref.random);
  const crafted = craftedCases.find((c) => c.name === ref.crafted);
  if (!crafted) throw new Error(`no crafted case ${ref.crafted}`);
  return crafted.build();
}

/**
 * One call as the server makes it: the grid, then the search in slices (`inSlices`).
 * `ms` is the whole call; `holdMs` the longest the event loop went without a turn
 * meanwhile, seen by a check that runs at every turn.
 */
async function timedCall(built: BuiltCase): Promise<{ ms: number; holdMs: number; candidates: Candidate[] }> {
  const { request } = built;
  const started = process.hrtime.bigint();
  let lastTurn = started;
  let longest = 0n;
  let running = true;
  const turn = () => {
    const now = process.hrtime.bigint();
    if (now - lastTurn > longest) longest = now - lastTurn;
    lastTurn = now;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  const grid = stayGrid(seatingDay(request.service, request.tables, request.blocks), request.windows, request.durationMinutes);
  const candidates = await inSlices(seatingsOnGridInSteps(grid, request));
  running = false;
  const ended = process.hrtime.bigint();
  if (ended - lastTurn > longest) longest = ended - lastTurn;
  return { ms: Number(ended - started) / 1e6, holdMs: Number(longest) / 1e6, candidates };
}

/**
 * Compiles the engine's paths before anything is timed, as in a server that has been
 * up for a while: every size mix and both start preferences, on inputs small enough
 * for any engine (40 tables, parties of 2–8).
 */
function warmUp(): void {
  const inputs = MIXES.flatMap((mix, i) =>
    (['earliest', 'flush'] as const).map(
      (prefer) =>
        buildRandom({
          seed: i + 1,
          tables: 40,
          mix,
          pattern: 'busy',
          blocks: 600,
          hotShare: 500,
          party: 2,
          duration: 90,
          service: 'demo',
          prefer,
          limit: 10,
        }).request,
    ),
  );
  const until = performance.now() + 500;
  for (let round = 0; round < 50 && performance.now() < until; round++) {
    for (const input of inputs) discoverSeatings({ ...input, partySize: 2 + (round % 7) });
  }
}

async function run(job: Job, post: (report: Report) => void): Promise<void> {
  const built = build(job.ref);
  collectGarbage();
  post({ id: job.id, type: 'built', tables: built.request.tables.length, blocks: built.request.blocks.length });
  const samples: number[] = [];
  const holds: number[] = [];
  let spent = 0;
  let last: Candidate[] = [];
  while (samples.length < job.maxCalls && (samples.length === 0 || spent < job.budgetMs)) {
    const { ms, holdMs, candidates } = await timedCall(built);
    samples.push(ms);
    holds.push(holdMs);
    spent += ms;
    last = candidates;
    post({ id: job.id, type: 'call', ms });
  }
  post({ id: job.id, type: 'done', samples, holds, found: last.length, wrong: verdict(built.request, last, built.expect) });
}

const port = parentPort;
if (port) {
  const post = (report: Report) => port.postMessage(report);
  port.on('message', (job: Job) => {
    run(job, post).catch((error: unknown) =>
      post({ id: job.id, type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  warmUp();
  post({ type: 'ready' });
}
