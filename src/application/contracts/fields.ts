import { z } from 'zod';
import { isBookableDate } from '../../domain/time/calendarDate.js';
import { isOnGrid, parseLocalTime } from '../../domain/time/localTime.js';
import { isValidTimeZone } from '../../domain/time/zone.js';

const MAX_PARTY_SIZE = 10_000;

export const entityIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, { message: 'must be 1–64 letters, digits, _ . : or -' });

export const calendarDateSchema = z
  .string()
  .refine(isBookableDate, { message: 'must be a real date as YYYY-MM-DD between 1970 and 9998' })
  .meta({ example: '2025-10-22' });

export const gridTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:mm' })
  .refine((text) => isOnGrid(parseLocalTime(text) ?? 1), { message: 'must be on the 15-minute grid' })
  .meta({ example: '20:00' });

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as America/Argentina/Buenos_Aires' });

export const serviceWindowSchema = z.object({ start: gridTimeSchema, end: gridTimeSchema });

/** Query strings carry text: this reads plain decimal digits as a number, then applies the schema. */
const fromQuery = <T extends z.ZodType<number, number>>(schema: T) =>
  z
    .string()
    .regex(/^-?[0-9]{1,9}$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(schema);

export const partySizeSchema = z.int().positive().max(MAX_PARTY_SIZE);
export const durationMinutesSchema = z.int().positive().refine(isOnGrid, { message: 'must be a multiple of 15 minutes' });

export const queryPartySizeSchema = fromQuery(partySizeSchema);
export const queryDurationSchema = fromQuery(durationMinutesSchema);
export const queryLimitSchema = fromQuery(z.int().min(1).max(100)).default(10);

export const instantWithOffsetSchema = z.string().meta({ example: '2025-10-22T20:00:00-03:00' });
