export interface StoredResponse {
  status: number;
  body: unknown;
}

/** A claimed record's answer, to be kept by the write that makes it true (see `EventStore.append`). */
export interface IdempotentAnswer {
  scope: string;
  key: string;
  response: StoredResponse;
}

export type ClaimResult =
  { outcome: 'claimed' } | { outcome: 'in_progress' } | { outcome: 'mismatch' } | { outcome: 'completed'; response: StoredResponse };

export interface ClaimRequest {
  scope: string;
  key: string;
  payloadHash: string;
  now: number;
  /** When the record may be forgotten (now + retention). */
  expiresAt: number;
  /** Until when an unfinished claim holds; after that a process that died with it no longer blocks the key. */
  leaseUntil: number;
}

/**
 * Records of (caller, key) → (payload hash, response). `claim` is atomic, across
 * processes too: of several parallel claims for one key exactly one gets `claimed`.
 */
export interface IdempotencyStore {
  claim(request: ClaimRequest): Promise<ClaimResult>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /**
   * Forget a claim whose request failed, so that a retry runs again; never a record
   * already answered: an append that kept its answer (see `EventStore.append`) may
   * have committed and still failed on its way back to the caller.
   */
  release(scope: string, key: string): Promise<void>;
  /**
   * Deletes expired records in batches of at most `batchSize` (default 1000), each a
   * transaction of its own, so that no lock is held for long; returns how many went.
   */
  purgeExpired(now: number, options?: PurgeOptions): Promise<number>;
}

export interface PurgeOptions {
  batchSize?: number;
  /** Called after each batch with how many it deleted. */
  onBatch?: (deleted: number) => void;
}

/** Records deleted per purge transaction unless told otherwise. */
const PURGE_BATCH = 1000;

/** Runs `deleteBatch` until it deletes fewer than a full batch; the total deleted. */
export async function purgeInBatches(deleteBatch: (limit: number) => Promise<number>, options: PurgeOptions = {}): Promise<number> {
  const limit = Math.max(1, options.batchSize ?? PURGE_BATCH);
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(limit);
    if (deleted > 0) options.onBatch?.(deleted);
    total += deleted;
    if (deleted < limit) return total;
  }
}
