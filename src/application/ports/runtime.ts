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
}
