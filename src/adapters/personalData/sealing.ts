import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PERSONAL_FIELDS, PERSONAL_HOLDERS, personalHolderOf } from '../../application/personalData.js';

/**
 * Personal data in the event log, sealed per data subject (crypto-shredding). The
 * log is append-only, so erasure cannot rewrite it: each subject's name, email,
 * phone and notes are stored encrypted under a key of its own, kept outside the
 * log, and erasing the subject destroys the key. Events read back open again while
 * the key lives; after erasure they read as if the fields had never been given.
 *
 * Only the persisted copy is sealed: what the store projects and returns from an
 * append is the event as the application made it.
 */

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const newSubjectKey = (): Buffer => randomBytes(32);

/** The subject whose key seals this event's personal data, or null when it carries none. */
export function sealingSubjectOf(data: unknown): string | null {
  return personalHolderOf(data)?.subject ?? null;
}

/** A copy of the event data with the personal fields moved into `sealed` (the data itself when there are none). */
export function sealEventData<T>(data: T, key: Buffer): T {
  const found = personalHolderOf(data);
  if (!found) return data;
  const plain: Record<string, unknown> = {};
  const rest: Record<string, unknown> = { ...found.holder };
  for (const field of PERSONAL_FIELDS) {
    if (rest[field] !== undefined) plain[field] = rest[field];
    delete rest[field];
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
  rest.sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  return { ...data, [found.field]: rest } as T;
}

/**
 * The event data with its sealed personal fields opened under `key`; with no key
 * (the subject was erased) they are left out. Data without a seal (written before
 * sealing existed, or with nothing personal) is returned as it is.
 */
export function openEventData<T>(data: T, key: Buffer | null | undefined): T {
  const holderField = sealedHolderOf(data);
  if (!holderField) return data;
  const { sealed, ...rest } = (data as Record<string, Record<string, unknown>>)[holderField]!;
  const opened = key ? openFields(String(sealed), key) : {};
  return { ...data, [holderField]: { ...rest, ...opened } } as T;
}

/**
 * The sealed fields, or none when `key` is not the one they were sealed with: a key
 * made again for a subject after its erasure (a write that was in flight) never
 * opens what the destroyed one sealed.
 */
function openFields(sealed: string, key: Buffer): Record<string, unknown> {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function sealedHolderOf(data: unknown): string | null {
  if (!data || typeof data !== 'object') return null;
  for (const field of PERSONAL_HOLDERS) {
    const holder = (data as Record<string, unknown>)[field];
    if (holder && typeof holder === 'object' && 'sealed' in holder) return field;
  }
  return null;
}
