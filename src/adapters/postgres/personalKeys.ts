import type { PendingEvent, StoredEvent } from '../../application/ports/eventStore.js';
import { eventWithoutPersonalData, eventWithoutPersonalFields } from '../../application/personalData.js';
import { newSubjectKey, openEventData, sealEventData, sealingSubjectOf } from '../personalData/sealing.js';
import { pgError, type Queryable } from './db.js';
import type { Params } from './projections.js';

/** Each data subject's key (see `sealing.ts`), by subject; null once the subject is erased. */
export type SubjectKeys = ReadonlyMap<string, Buffer | null>;

const NO_KEYS: SubjectKeys = new Map();

/**
 * The keys of the subjects whose personal data these events carry, made where
 * missing: one statement, and none at all for events with nothing personal. A
 * key another writer made at the same instant is not in this statement's
 * snapshot; reading again finds it.
 */
export async function subjectKeys(db: Queryable, data: readonly unknown[]): Promise<SubjectKeys> {
  return keysOf(db, subjectsOf(data));
}

const subjectsOf = (data: readonly unknown[]): string[] => [
  ...new Set(data.map(sealingSubjectOf).filter((subject): subject is string => subject !== null)),
];

async function keysOf(db: Queryable, subjects: readonly string[]): Promise<Map<string, Buffer | null>> {
  const keys = new Map<string, Buffer | null>();
  if (subjects.length === 0) return keys;
  for (let attempt = 0; attempt < 2 && keys.size < subjects.length; attempt++) {
    const missing = subjects.filter((subject) => !keys.has(subject));
    const result = await db.query<{ subject: string; key: Buffer | null }>(
      `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::bytea[]) AS w(subject, key)),
       made AS (INSERT INTO personal_keys (subject, key) SELECT subject, key FROM wanted ON CONFLICT (subject) DO NOTHING RETURNING subject, key)
       SELECT subject, key FROM made
       UNION ALL SELECT k.subject, k.key FROM personal_keys k JOIN wanted w ON w.subject = k.subject`,
      [missing, missing.map(() => newSubjectKey())],
    );
    for (const row of result.rows) keys.set(row.subject, row.key);
  }
  if (keys.size < subjects.length) throw new Error('could not make the keys that seal personal data');
  return keys;
}

const KEPT_KEYS = 10_000;

/**
 * Live keys this process has read or made, so that a returning guest's booking
 * does not read its key again. Safe because a key never changes once made (an
 * erasure nulls it for good) and because no append relies on a kept key alone:
 * its `liveKeysGuard` fails if the stored key is nulled or not this one, and the append then
 * forgets the subjects and reads their keys afresh.
 */
export class KnownKeys {
  private readonly keys = new Map<string, Buffer>();

  async of(db: Queryable, data: readonly unknown[]): Promise<SubjectKeys> {
    const subjects = subjectsOf(data);
    if (subjects.length === 0) return NO_KEYS;
    // What is kept now, before the read: a `forget` or an eviction meanwhile must not leave a subject without its key.
    const found = new Map<string, Buffer | null>();
    for (const subject of subjects) {
      const kept = this.keys.get(subject);
      if (kept) found.set(subject, kept);
    }
    const read = await keysOf(
      db,
      subjects.filter((subject) => !found.has(subject)),
    );
    for (const [subject, key] of read) {
      found.set(subject, key);
      if (key) this.keep(subject, key);
    }
    return found;
  }

  forget(subjects: Iterable<string>): void {
    for (const subject of subjects) this.keys.delete(subject);
  }

  /** Forgets the subjects of these events: their keys may have been nulled. */
  forgetSubjectsOf(data: readonly unknown[]): void {
    this.forget(subjectsOf(data));
  }

  private keep(subject: string, key: Buffer): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.keys.size >= KEPT_KEYS) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(subject, key);
  }
}

/** The event data as the log keeps it (personal fields sealed, or left out when the subject is erased), and its subject. */
export function persistedForm(data: unknown, keys: SubjectKeys): { data: unknown; subject: string | null } {
  const subject = sealingSubjectOf(data);
  if (subject === null) return { data, subject };
  const key = keys.get(subject);
  return { data: key ? sealEventData(data, key) : eventWithoutPersonalFields(data), subject };
}

/** The events as they may be kept and projected: without personal fields where their subject is erased. */
export function withoutErasedData(pending: readonly PendingEvent[], keys: SubjectKeys): PendingEvent[] {
  return pending.map((item) => {
    const subject = sealingSubjectOf(item.event.data);
    return subject !== null && keys.get(subject) === null ? { ...item, event: eventWithoutPersonalData(item.event) } : item;
  });
}

/**
 * A WITH clause and a condition for the statement that inserts the events: the
 * keys it seals with are locked for the transaction, and if an erasure nulled one
 * after they were read, or the stored key is not the one this append holds (a kept
 * key whose row was made again: a restore, a failover), the statement fails
 * (`isErasedMeanwhile`) and writes nothing. An erasure that comes later waits for
 * the lock, and then scrubs the rows this append projected.
 */
export function liveKeysGuard(
  params: Params,
  events: readonly StoredEvent[],
  keys: SubjectKeys,
): { clause: string; condition: string } | null {
  const subjects = subjectsOf(events.map((event) => event.data));
  if (subjects.length === 0) return null;
  const held = subjects.map((subject) => keys.get(subject) ?? null);
  return {
    clause: `live_keys AS (SELECT k.subject FROM personal_keys k
      JOIN unnest(${params.add(subjects)}::text[], ${params.add(held)}::bytea[]) AS held(subject, key) ON held.subject = k.subject AND held.key = k.key
      FOR SHARE OF k)`,
    condition: `wokibrain_require_live_keys((SELECT count(*) FROM live_keys), ${params.add(subjects.length)}::integer)`,
  };
}

export const isErasedMeanwhile = (error: unknown): boolean => pgError(error)?.code === 'WB001';

/** The columns that read an event back with its subject's key, when it has one. */
export const SUBJECT_KEY_COLUMN = '(SELECT k.key FROM personal_keys k WHERE k.subject = events.subject) AS subject_key';

export function openedData(
  data: StoredEvent['data'],
  subjectKey: Buffer | null | undefined,
  subject: string | null | undefined,
): StoredEvent['data'] {
  return subject ? openEventData(data, subjectKey) : data;
}
