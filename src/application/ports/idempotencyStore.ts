export interface StoredResponse {
  status: number;
  body: unknown;
}

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'in_progress' }
  | { outcome: 'mismatch' }
  | { outcome: 'completed'; response: StoredResponse };

/**
 * Records of (caller, key) → (payload hash, response). `claim` is atomic: of
 * several parallel claims for one key exactly one gets `claimed`.
 */
export interface IdempotencyStore {
  claim(scope: string, key: string, payloadHash: string, now: number, expiresAt: number): Promise<ClaimResult>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Forget a claim whose request failed, so that a retry runs again. */
  release(scope: string, key: string): Promise<void>;
  purgeExpired(now: number): Promise<number>;
}
