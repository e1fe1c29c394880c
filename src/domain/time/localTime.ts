/** Minutes since local midnight; 0..1439 for a time of day, 1440 for the end of the day. */
export type MinuteOfDay = number;

export const SLOT_MINUTES = 15;
export const MINUTES_PER_DAY = 1440;

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseLocalTime(text: string): MinuteOfDay | null {
  const match = TIME_PATTERN.exec(text);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

export function isOnGrid(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes % SLOT_MINUTES === 0;
}

export function formatLocalTime(minutes: MinuteOfDay): string {
  const hours = Math.floor(minutes / 60) % 24;
  const rest = minutes % 60;
  return `${String(hours).padStart(2, '0')}:${String(rest).padStart(2, '0')}`;
}
