import {
  purgeInBatches,
  type ClaimRequest,
  type ClaimResult,
  type IdempotencyStore,
  type IdempotentAnswer,
  type PurgeOptions,
  type StoredResponse,
} from '../../application/ports/idempotencyStore.js';

interface IdempotencyRecord {
  payloadHash: string;
  response: StoredResponse | null;
  expiresAt: number;
  leaseUntil: number;
}

const recordId = (scope: string, key: string) => `${scope}\u0000${key}`;

/** Idempotency records in one process's memory, with the same rules as the durable stores. */
export class MemoryIdempotency implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  async claim({ scope, key, payloadHash, now, expiresAt, leaseUntil }: ClaimRequest): Promise<ClaimResult> {
    const id = recordId(scope, key);
    const record = this.records.get(id);
    const live = record && record.expiresAt > now && (record.response !== null || record.leaseUntil > now);
    if (record && live) {
      if (record.payloadHash !== payloadHash) return { outcome: 'mismatch' };
      return record.response ? { outcome: 'completed', response: structuredClone(record.response) } : { outcome: 'in_progress' };
    }
    this.records.set(id, { payloadHash, response: null, expiresAt, leaseUntil });
    return { outcome: 'claimed' };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    this.keep({ scope, key, response });
  }

  /** `complete`, at once: for the append that keeps its answer (see `EventStore.append`). */
  keep({ scope, key, response }: IdempotentAnswer): void {
    const record = this.records.get(recordId(scope, key));
    if (record) record.response = structuredClone(response);
  }

  async release(scope: string, key: string): Promise<void> {
    const id = recordId(scope, key);
    if (this.records.get(id)?.response === null) this.records.delete(id);
  }

  purgeExpired(now: number, options?: PurgeOptions): Promise<number> {
    return purgeInBatches(async (limit) => {
      let purged = 0;
      for (const [id, record] of this.records) {
        if (purged >= limit) break;
        if (record.expiresAt <= now) {
          this.records.delete(id);
          purged++;
        }
      }
      return purged;
    }, options);
  }
}
