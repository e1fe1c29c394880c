/** A civil date `YYYY-MM-DD`, independent of any zone. */
export type CalendarDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** The dates a booking may be for: date arithmetic a day or two beyond stays within four-digit years. */
const FIRST_BOOKABLE_YEAR = 1970;
const LAST_BOOKABLE_YEAR = 9998;

/** Parses `YYYY-MM-DD`, refusing impossible dates such as 2025-02-30. */
export function parseCalendarDate(text: string): DateParts | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** A real date between 1970-01-01 and 9998-12-31. */
export function isBookableDate(text: string): boolean {
  const parts = parseCalendarDate(text);
  return parts !== null && parts.year >= FIRST_BOOKABLE_YEAR && parts.year <= LAST_BOOKABLE_YEAR;
}

function daysInMonth(year: number, month: number): number {
  // Date.UTC arithmetic is pure: it never consults the process time zone.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const parts = parseCalendarDate(date);
  if (!parts) throw new RangeError(`not a calendar date: ${date}`);
  const shifted = new Date(Date.UTC(parts.year, parts.month - 1, parts.day) + days * DAY_MS);
  return shifted.toISOString().slice(0, 10);
}
