import { z } from 'zod';
import { isCalendarDate } from '../../domain/time/calendarDate.js';
import { isOnGrid, parseLocalTime } from '../../domain/time/localTime.js';
import { isValidTimeZone } from '../../domain/time/zone.js';

export const MAX_PARTY_SIZE = 10_000;

export const entityId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, { message: 'must be 1–64 letters, digits, _ . : or -' });

export const calendarDate = z
  .string()
  .refine(isCalendarDate, { message: 'must be a real date as YYYY-MM-DD' })
  .meta({ example: '2025-10-22' });

export const gridTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:mm' })
  .refine((text) => isOnGrid(parseLocalTime(text) ?? 1), { message: 'must be on the 15-minute grid' })
  .meta({ example: '20:00' });

export const timeZone = z
  .string()
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as America/Argentina/Buenos_Aires' });

export const serviceWindow = z.object({ start: gridTime, end: gridTime });

/** Query strings carry text: this reads it as a number, then applies the schema. */
const fromQuery = <T extends z.ZodType<number, number>>(schema: T) => z.coerce.number<string>().pipe(schema);

export const partySize = z.int().positive().max(MAX_PARTY_SIZE);
export const durationMinutes = z
  .int()
  .positive()
  .refine(isOnGrid, { message: 'must be a multiple of 15 minutes' });

export const queryPartySize = fromQuery(partySize);
export const queryDuration = fromQuery(durationMinutes);
export const queryLimit = fromQuery(z.int().min(1).max(100)).default(10);

export const instantWithOffset = z.string().meta({ example: '2025-10-22T20:00:00-03:00' });
