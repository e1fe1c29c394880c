export interface Clock {
  now(): number;
}

export interface IdGenerator {
  bookingId(): string;
  waitlistEntryId(): string;
  guestId(): string;
  userId(): string;
  apiKeyId(): string;
  /** Groups the refresh tokens rotated from one login. */
  tokenFamilyId(): string;
}

/** Serialises work on one key. Only lowers contention: the store still refuses overlaps. */
export interface LockManager {
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** A point in this manager's history, taken before a read that a holder of some key will rely on. */
  mark(): number;
  /**
   * Whether work under `key` may have finished since `mark`: when not, what was read
   * after the mark is what a read under the lock would see of this manager's holders'
   * writes. True whenever the manager cannot tell.
   */
  releasedSince(key: string, mark: number): boolean;
}
