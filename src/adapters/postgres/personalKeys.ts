import type { StoredEvent } from '../../application/ports/eventStore.js';
import { newSubjectKey, openEventData, sealEventData, sealingSubjectOf } from '../personalData/sealing.js';
import type { Queryable } from './db.js';

/** Each data subject's key (see `sealing.ts`), by subject. */
export type SubjectKeys = ReadonlyMap<string, Buffer>;

const NO_KEYS: SubjectKeys = new Map();

/**
 * The keys of the subjects whose personal data these events carry, made where
 * missing: one statement, and none at all for events with nothing personal. A
 * key another writer made at the same instant is not in this statement's
 * snapshot; reading again finds it.
 */
export async function subjectKeys(db: Queryable, data: readonly unknown[]): Promise<SubjectKeys> {
  const subjects = [...new Set(data.map(sealingSubjectOf).filter((subject): subject is string => subject !== null))];
  if (subjects.length === 0) return NO_KEYS;
  const keys = new Map<string, Buffer>();
  for (let attempt = 0; attempt < 2 && keys.size < subjects.length; attempt++) {
    const missing = subjects.filter((subject) => !keys.has(subject));
    const result = await db.query<{ subject: string; key: Buffer }>(
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

/** The event data as the log keeps it (personal fields sealed), and its subject. */
export function persistedForm(data: unknown, keys: SubjectKeys): { data: unknown; subject: string | null } {
  const subject = sealingSubjectOf(data);
  return subject === null ? { data, subject } : { data: sealEventData(data, keys.get(subject)!), subject };
}

/** The columns that read an event back with its subject's key, when it has one. */
export const SUBJECT_KEY_COLUMN = '(SELECT k.key FROM personal_keys k WHERE k.subject = events.subject) AS subject_key';

export function openedData(
  data: StoredEvent['data'],
  subjectKey: Buffer | null | undefined,
  subject: string | null | undefined,
): StoredEvent['data'] {
  return subject ? openEventData(data, subjectKey) : data;
}
