import { z } from 'zod';
import { isBookableDate } from '../../domain/time/calendarDate.js';
import { isOnGrid, parseLocalTime } from '../../domain/time/localTime.js';
import { isValidTimeZone } from '../../domain/time/zone.js';

/**
 * The largest party the engine seats. Its search is pseudo-polynomial in the party
 * (see combinationSearch.ts), and this is the size up to which its 50 ms bound is
 * measured (`npm run bench:adversarial`): a whole 200-table floor, bought out.
 */
export const MAX_PARTY_SIZE = 1_000;

export const entityIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, { message: 'must be 1–64 letters, digits, _ . : or -' });

/**
 * The first character that no text field takes, with its offset: C0 controls but tab, line
 * feed and the carriage return of a CRLF (Windows clients and HTML forms send CRLF; a lone
 * CR only rewinds a line); DEL; bidirectional embeddings, overrides (U+202A–U+202E) and
 * isolates (U+2066–U+2069), which make text read differently from what it is; and unpaired
 * surrogates, which are not Unicode at all. PostgreSQL refuses NUL and unpaired surrogates
 * outright, so refusing them here keeps every store answering the same 400.
 */
function firstUnsafeCharacter(text: string): { codePoint: number; offset: number } | undefined {
  for (let offset = 0; offset < text.length; offset++) {
    const unit = text.charCodeAt(offset);
    if (unit >= 0x20 && unit < 0x7f) continue;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(offset + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        offset++;
        continue;
      }
      return { codePoint: unit, offset };
    }
    const unsafe =
      (unit < 0x20 && unit !== 0x09 && unit !== 0x0a && !(unit === 0x0d && text.charCodeAt(offset + 1) === 0x0a)) ||
      unit === 0x7f ||
      (unit >= 0x202a && unit <= 0x202e) ||
      (unit >= 0x2066 && unit <= 0x2069) ||
      (unit >= 0xdc00 && unit <= 0xdfff);
    if (unsafe) return { codePoint: unit, offset };
  }
  return undefined;
}

const codePointName = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Any text a request carries: every free-text field (names, notes, reasons…) starts from this,
 * so that none of them takes control, bidirectional-override or unpaired-surrogate characters.
 * The message names the character by code point and never echoes it.
 */
export const textSchema = z.string().refine((text) => firstUnsafeCharacter(text) === undefined, {
  error: (issue) => {
    const found = typeof issue.input === 'string' ? firstUnsafeCharacter(issue.input) : undefined;
    const where = found ? ` (${codePointName(found.codePoint)} at offset ${found.offset})` : '';
    return `must not contain control, bidirectional-override or unpaired surrogate characters${where}`;
  },
});

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
