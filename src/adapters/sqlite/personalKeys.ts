import type { Database, Statement } from 'better-sqlite3';
import { eventWithoutPersonalFields } from '../../application/personalData.js';
import { newSubjectKey, openEventData, sealEventData, sealingSubjectOf } from '../personalData/sealing.js';

/**
 * The keys that seal each data subject's personal data in the log (see `sealing.ts`).
 * An erased subject keeps its row with no key: a write that matched the subject
 * before the erasure committed finds it here and keeps nothing personal.
 */
export class SqlitePersonalKeys {
  private readonly find: Statement;
  private readonly insert: Statement;
  private readonly erase: Statement;

  constructor(db: Database) {
    this.find = db.prepare('SELECT key FROM personal_keys WHERE subject = ?');
    this.insert = db.prepare('INSERT OR IGNORE INTO personal_keys (subject, key) VALUES (?, ?)');
    this.erase = db.prepare('INSERT INTO personal_keys (subject, key) VALUES (?, NULL) ON CONFLICT (subject) DO UPDATE SET key = NULL');
  }

  /**
   * Inside the caller's write transaction: the event as the log keeps it (personal
   * fields sealed) and its subject, and the event as it is projected and returned
   * (without personal fields once the subject is erased).
   */
  seal<T>(data: T): { sealed: T; kept: T; subject: string | null } {
    const subject = sealingSubjectOf(data);
    if (subject === null) return { sealed: data, kept: data, subject };
    this.insert.run(subject, newSubjectKey());
    const key = this.keyOf(subject);
    if (!key) {
      const kept = eventWithoutPersonalFields(data);
      return { sealed: kept, kept, subject };
    }
    return { sealed: sealEventData(data, key), kept: data, subject };
  }

  open<T>(data: T, subject: string | null): T {
    return subject === null ? data : openEventData(data, this.keyOf(subject));
  }

  destroy(subject: string): void {
    this.erase.run(subject);
  }

  private keyOf(subject: string): Buffer | null | undefined {
    return (this.find.get(subject) as { key: Buffer | null } | undefined)?.key;
  }
}
