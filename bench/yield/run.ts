import { parseArgs } from 'node:util';
import { mulberry32 } from '../prng.js';
import { addDays } from '../../src/domain/time/calendarDate.js';
import { seatedCountBound } from './countBound.js';
import { firstFit, firstFitStats } from './firstFit.js';
import { FIRST_DATE, LAYOUTS } from './layouts.js';
import type { Strategy } from './model.js';
import { emptyTally, addDay, renderReport, type LayoutBound, type ReportLine } from './report.js';
import { CANCEL_SHARE, FLEX_MINUTES, makeDay } from './requests.js';
import { offlineGreedyDay, simulateDay, type DayOutcome } from './simulate.js';
import { wokiBrain, wokiBrainEarliest } from './wokiBrain.js';
import { repackStats, wokiBrainRepack } from './repackStrategy.js';

/**
 * Yield benchmark: many simulated service days per layout, one request stream per
 * day shared by every strategy, outcomes summed. Same seed → same table.
 */
const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '20251022' },
    demand: { type: 'string', default: '1.0' },
  },
});
const days = Number(values.days);
const seed = Number(values.seed);
const demand = Number(values.demand);
if (!Number.isInteger(days) || days < 1) throw new Error('--days must be a positive integer');
if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
if (!(demand > 0)) throw new Error('--demand must be positive');

const ONLINE: readonly Strategy[] = [wokiBrain, wokiBrainRepack, wokiBrainEarliest, firstFit];
const OFFLINE_MOST = 'hindsight greedy, smallest first';
const OFFLINE_LARGEST = 'hindsight greedy, largest first';

const began = performance.now();
const lines: ReportLine[] = [];
const bounds: LayoutBound[] = [];
const problems: string[] = [];
const rescuedByLayout = new Map<string, number>();

LAYOUTS.forEach((layout, layoutIndex) => {
  const tallies = new Map<string, ReportLine>();
  const tallyOf = (strategy: string, online: boolean): ReportLine => {
    let line = tallies.get(strategy);
    if (!line) {
      line = { layout: layout.name, strategy, tally: emptyTally(), online };
      tallies.set(strategy, line);
    }
    return line;
  };
  const bound: LayoutBound = { layout: layout.name, keepers: 0, count: 0, seatMinutes: 0 };
  for (let d = 0; d < days; d++) {
    const date = addDays(FIRST_DATE, d);
    const day = makeDay(layout, date, demand, mulberry32((seed ^ Math.imul(layoutIndex + 1, 0x9e3779b1)) + d * 7919));
    const dayBound = seatedCountBound(layout, day);
    bound.count += dayBound.count;
    bound.seatMinutes += dayBound.seatMinutes;
    bound.keepers += day.requests.filter((r) => !r.cancels).length;
    const outcomes: [string, boolean, DayOutcome][] = ONLINE.map((s) => [s.name, true, simulateDay(layout, day, s)]);
    outcomes.push([OFFLINE_MOST, false, offlineGreedyDay(layout, day, 'smallest')]);
    outcomes.push([OFFLINE_LARGEST, false, offlineGreedyDay(layout, day, 'largest')]);
    for (const [name, online, outcome] of outcomes) {
      addDay(tallyOf(name, online).tally, outcome);
      rescuedByLayout.set(layout.name, (rescuedByLayout.get(layout.name) ?? 0) + outcome.rescued);
      problems.push(...outcome.violations);
      const held = outcome.standing.reduce((sum, b) => sum + (b.partySize * (b.end - b.start)) / 60_000, 0);
      if (held > dayBound.seatMinutes)
        problems.push(`${layout.name} ${date}: ${name} holds ${held} seat-min, above the bound ${dayBound.seatMinutes}`);
      if (outcome.standing.length > dayBound.count)
        problems.push(`${layout.name} ${date}: ${name} seats ${outcome.standing.length}, above the bound ${dayBound.count}`);
    }
  }
  lines.push(...tallies.values());
  bounds.push(bound);
});

const seconds = (performance.now() - began) / 1000;
for (const line of renderReport(lines, bounds)) console.log(line);
console.log('');
console.log(
  `accepted = booked on arrival / all requests; seated = bookings standing at the close / requests that do not cancel;` +
    ` seat-h = Σ party × duration of those; waste = Σ maxSize − party.`,
);
console.log(
  `requests: party 1–12 (mostly 2–4), 75/90/120/150 min by party, desired start ±${FLEX_MINUTES} min, random arrival order,` +
    ` ${CANCEL_SHARE * 100}% cancel later if booked; demand ${demand} × the room's seat-minutes; ${days} days from ${FIRST_DATE},` +
    ` 12:00–15:00 and 19:00–23:30 America/Argentina/Buenos_Aires.`,
);
console.log(
  'upper bound: per service, the optimum of the LP relaxation of seating the non-cancelling requests with hindsight' +
    ' (one grid start in the window and one minimal table set each; per instant, no table kind used beyond its count),' +
    ' maximising the count for "seated" and Σ party × duration for "seat-h", rounded down — no strategy can exceed either.',
);
console.log(
  `repack: repackDay ran ${repackStats.runs} times (once per WokiBrain refusal), moved ${repackStats.moved} bookings,` +
    ` after which ${[...rescuedByLayout].map(([name, n]) => `${n} (${name})`).join(', ')} refused requests were seated;` +
    ` pinned ${repackStats.pinned}; first-fit combination scans that hit their node budget: ${firstFitStats.gaveUp}.`,
);
console.log(`violations: ${problems.length} (expected 0); ${seconds.toFixed(1)} s`);
console.log(`seed ${seed}: npm run bench:yield -- --days ${days} --seed ${seed}${values.demand === '1.0' ? '' : ` --demand ${demand}`}`);
if (problems.length > 0) {
  for (const problem of problems.slice(0, 20)) console.error(problem);
  throw new Error(`${problems.length} booking violations`);
}
