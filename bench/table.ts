type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
}

/** A row of cells, or `null` for a separator line. */
export type Row = readonly string[] | null;

/** The columns every benchmark table prints, so their rows line up and read alike. */
export const BENCH_COLUMNS: readonly Column[] = [
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

/** Plain-text table with aligned columns, as a list of lines. */
export function renderTable(columns: readonly Column[], rows: readonly Row[]): string[] {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => (row ? (row[i] ?? '').length : 0))));
  const line = (cells: readonly string[], headers = false) =>
    cells
      .map((cell, i) => {
        const width = widths[i]!;
        return !headers && columns[i]!.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  return [
    line(
      columns.map((column) => column.header),
      true,
    ),
    rule,
    ...rows.map((row) => (row ? line(row) : rule)),
  ];
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value < 1) return `${value.toFixed(3)} ms`;
  if (value < 100) return `${value.toFixed(2)} ms`;
  return `${value.toFixed(0)} ms`;
}

export function perSecond(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} req/s`;
}

/** autocannon records latency in whole milliseconds. */
export function wholeMs(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)} ms` : '—';
}
