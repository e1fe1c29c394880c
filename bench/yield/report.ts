import { renderTable, type Column, type Row } from '../table.js';
import type { DayOutcome } from './simulate.js';

/** One strategy's days on one layout, summed. */
export interface Tally {
  requests: number;
  accepted: number;
  keepers: number;
  bookings: number;
  combos: number;
  seatMinutes: number;
  waste: number;
  violations: number;
}

export function emptyTally(): Tally {
  return { requests: 0, accepted: 0, keepers: 0, bookings: 0, combos: 0, seatMinutes: 0, waste: 0, violations: 0 };
}

export function addDay(tally: Tally, day: DayOutcome): void {
  tally.requests += day.requests;
  tally.accepted += day.accepted;
  tally.keepers += day.keepers;
  tally.bookings += day.standing.length;
  tally.combos += day.standing.filter((b) => b.tableIds.length > 1).length;
  tally.seatMinutes += day.standing.reduce((sum, b) => sum + (b.partySize * (b.end - b.start)) / 60_000, 0);
  tally.waste += day.waste;
  tally.violations += day.violations.length;
}

export interface ReportLine {
  layout: string;
  strategy: string;
  tally: Tally;
  /** Offline strategies have no arrival-time acceptance. */
  online: boolean;
}

export interface LayoutBound {
  layout: string;
  /** Requests that do not cancel: what "seated" divides by. */
  keepers: number;
  /** Σ over days of the LP bounds (`seatedCountBound`). */
  count: number;
  seatMinutes: number;
}

const COLUMNS: Column[] = [
  { header: 'layout' },
  { header: 'strategy' },
  { header: 'requests', align: 'right' },
  { header: 'accepted', align: 'right' },
  { header: 'seated', align: 'right' },
  { header: 'of bound', align: 'right' },
  { header: 'seat-h', align: 'right' },
  { header: 'of bound', align: 'right' },
  { header: 'on combos', align: 'right' },
  { header: 'waste/bkg', align: 'right' },
  { header: 'violations', align: 'right' },
];

const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '—');

export function renderReport(lines: readonly ReportLine[], bounds: readonly LayoutBound[]): string[] {
  const rows: Row[] = [];
  bounds.forEach((bound, index) => {
    if (index > 0) rows.push(null);
    for (const { strategy, tally, online } of lines.filter((line) => line.layout === bound.layout)) {
      rows.push([
        bound.layout,
        strategy,
        String(tally.requests),
        online ? pct(tally.accepted, tally.requests) : '—',
        pct(tally.bookings, tally.keepers),
        pct(tally.bookings, bound.count),
        (tally.seatMinutes / 60).toFixed(1),
        pct(tally.seatMinutes, bound.seatMinutes),
        pct(tally.combos, tally.bookings),
        tally.bookings > 0 ? (tally.waste / tally.bookings).toFixed(2) : '—',
        String(tally.violations),
      ]);
    }
    rows.push([
      bound.layout,
      'upper bound (LP, hindsight)',
      '',
      '',
      pct(bound.count, bound.keepers),
      '100.0%',
      (bound.seatMinutes / 60).toFixed(1),
      '100.0%',
      '',
      '',
      '',
    ]);
  });
  return renderTable(COLUMNS, rows);
}
