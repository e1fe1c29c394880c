export interface StoredResponse {
  status: number;
  body: unknown;
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
  /** Forget a claim whose request failed, so that a retry runs again. */
  release(scope: string, key: string): Promise<void>;
  purgeExpired(now: number): Promise<number>;
}
