import type { DiscoverCase } from './engine.js';
import { BIG, DEMO } from './fixtures.js';

export type Scale = 'demo' | 'big';

export interface BenchCase extends DiscoverCase {
  scale: Scale;
}

/** The requested window used by the "with window" rows: inside service on both scales. */
const WINDOW = { windowStart: '20:00', windowEnd: '22:00' } as const;
/** Both ends given around the whole service: flush-first ranking over every start of the day, the heaviest case. */
const SERVICE_WINDOW = { windowStart: '12:00', windowEnd: '23:45' } as const;

function both(scale: Scale, partySize: number, durationMinutes: number): BenchCase[] {
  const sector = scale === 'demo' ? DEMO : BIG;
  const base = { scale, ...sector, partySize, durationMinutes };
  return [base, { ...base, ...WINDOW }, { ...base, ...SERVICE_WINDOW }];
}

/** Small parties and parties that need several tables: over the whole day (earliest first), inside a window, over all service (flush first). */
export const engineCases: BenchCase[] = [
  ...both('demo', 2, 60),
  ...both('demo', 8, 90),
  ...both('demo', 12, 90),
  ...both('big', 2, 60),
  ...both('big', 12, 90),
  ...both('big', 20, 90),
];

export const httpCases: BenchCase[] = [
  { scale: 'demo', ...DEMO, partySize: 2, durationMinutes: 60 },
  { scale: 'demo', ...DEMO, partySize: 8, durationMinutes: 90 },
  { scale: 'big', ...BIG, partySize: 2, durationMinutes: 60 },
  { scale: 'big', ...BIG, partySize: 4, durationMinutes: 90 },
  { scale: 'big', ...BIG, partySize: 12, durationMinutes: 90, ...WINDOW },
  { scale: 'big', ...BIG, partySize: 20, durationMinutes: 90 },
];

/** Every party size from 1 to 30 in turn on the 100-table sector: the HTTP "mixed parties" row. */
export const mixedPartyCases: BenchCase[] = Array.from({ length: 30 }, (_, i) => ({
  scale: 'big' as const,
  ...BIG,
  partySize: i + 1,
  durationMinutes: 90,
}));
export const MIXED_PARTIES_LABEL = 'parties 1–30 in turn, 90 min, whole day';

export function scaleLabel(scale: Scale): string {
  return scale === 'demo' ? 'demo (5 tables)' : '100 tables, 1,000 bkg';
}

export function caseLabel(c: DiscoverCase): string {
  const window = c.windowStart ? `${c.windowStart}–${c.windowEnd}` : 'whole day';
  return `party ${c.partySize}, ${c.durationMinutes} min, ${window}`;
}
