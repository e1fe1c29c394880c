import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Fewer digits than this identify nobody: such a "phone" matches no profile. */
const MIN_PHONE_DIGITS = 5;

/**
 * A phone as E.164 (`+5491155551234`), however it was written: spaces, dashes,
 * brackets, or `00` for the international prefix. Numbers without a country code
 * cannot be placed in a country, so they are kept as their digits (`~` then the
 * digits): still one key per number as the restaurant's guests write it.
 * Undefined when it has too few digits to tell anyone apart.
 */
export function normalizePhone(raw: string): string | undefined {
  const trimmed = raw.trim().replace(/^00/, '+');
  const parsed = trimmed.startsWith('+') ? parsePhoneNumberFromString(trimmed) : undefined;
  if (parsed?.isPossible()) return parsed.number;
  const digits = trimmed.replace(/\D/g, '');
  return digits.length < MIN_PHONE_DIGITS ? undefined : `~${digits}`;
}

/** Emails compare case-insensitively: stored trimmed and in lower case. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}
