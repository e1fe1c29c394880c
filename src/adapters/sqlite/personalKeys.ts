import type { Database, Statement } from 'better-sqlite3';
import { newSubjectKey, openEventData, sealEventData, sealingSubjectOf } from '../personalData/sealing.js';

/** The keys that seal each data subject's personal data in the log (see `sealing.ts`). */
export class SqlitePersonalKeys {
  private readonly find: Statement;
  private readonly insert: Statement;
  private readonly remove: Statement;

  constructor(db: Database) {
    this.find = db.prepare('SELECT key FROM personal_keys WHERE subject = ?');
    this.insert = db.prepare('INSERT OR IGNORE INTO personal_keys (subject, key) VALUES (?, ?)');
    this.remove = db.prepare('DELETE FROM personal_keys WHERE subject = ?');
  }

  /** The event data as the log keeps it, and its subject; inside the caller's write transaction. */
  seal(data: unknown): { data: unknown; subject: string | null } {
    const subject = sealingSubjectOf(data);
    if (subject === null) return { data, subject };
    this.insert.run(subject, newSubjectKey());
    return { data: sealEventData(data, this.keyOf(subject)!), subject };
  }

  open<T>(data: T, subject: string | null): T {
    return subject === null ? data : openEventData(data, this.keyOf(subject));
  }

  destroy(subject: string): void {
    this.remove.run(subject);
  }

  private keyOf(subject: string): Buffer | undefined {
    return (this.find.get(subject) as { key: Buffer } | undefined)?.key;
  }
}
