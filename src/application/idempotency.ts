import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors/catalogue.js';
import type { Dependencies } from './dependencies.js';
import type { AnswerInWrite } from './commandHandling/handleCommand.js';
import type { StoredResponse } from './ports/idempotencyStore.js';

export interface IdempotentOutcome extends StoredResponse {
  replayed: boolean;
}

const POLL_MS = 25;
/** A claim left by a crashed process stops blocking its key after this long. */
const CLAIM_LEASE_MS = 30_000;

/** JSON with keys sorted, so that the same payload hashes the same however it was written. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 as base64url: 43 characters stored per record rather than 64. */
function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('base64url');
}

/**
 * How a response is kept and given back: personal data is not kept in idempotency
 * records (an erasure could not find it there), so `keep` strips it and `replay`
 * reads it again from the object, as it stands now.
 */
export interface ResponseKeeping {
  keep(response: StoredResponse): StoredResponse;
  replay(response: StoredResponse): Promise<StoredResponse>;
}

const keptWhole: ResponseKeeping = { keep: (response) => response, replay: async (response) => response };

/**
 * Runs `work` once per (caller, key, payload). A completed key replays its stored
 * response; a key in flight is waited for; a key reused with another payload is
 * refused. Failed work releases the key, so only successes are remembered.
 */
export async function runIdempotently(
  deps: Dependencies,
  scope: string,
  key: string | undefined,
  payload: unknown,
  work: (inWrite?: KeptInWrite) => Promise<StoredResponse>,
  keeping: ResponseKeeping = keptWhole,
): Promise<IdempotentOutcome> {
  if (key === undefined) return { ...(await work()), replayed: false };
  const hash = payloadHash(payload);
  const deadline = deps.clock.now() + deps.settings.idempotencyWaitMs;
  for (;;) {
    const now = deps.clock.now();
    const claim = await deps.idempotency.claim({
      scope,
      key,
      payloadHash: hash,
      now,
      expiresAt: now + deps.settings.idempotencyRetentionMs,
      leaseUntil: now + CLAIM_LEASE_MS,
    });
    switch (claim.outcome) {
      case 'completed':
        return { ...(await keeping.replay(claim.response)), replayed: true };
      case 'mismatch':
        throw new AppError('idempotency_key_reused', 'this Idempotency-Key was already used with a different payload');
      case 'claimed':
        return { ...(await completeClaim(deps, scope, key, work, keeping)), replayed: false };
      case 'in_progress':
        if (deps.clock.now() >= deadline) {
          throw new AppError('idempotency_in_progress', 'a request with this Idempotency-Key is still being processed; retry shortly', {
            retryAfterSeconds: 1,
          });
        }
        await sleep(POLL_MS);
    }
  }
}

async function completeClaim(
  deps: Dependencies,
  scope: string,
  key: string,
  work: (inWrite: KeptInWrite) => Promise<StoredResponse>,
  keeping: ResponseKeeping,
): Promise<StoredResponse> {
  const inWrite = new KeptInWrite(scope, key, keeping);
  let response: StoredResponse;
  try {
    response = await work(inWrite);
  } catch (error) {
    await deps.idempotency.release(scope, key);
    throw error;
  }
  if (!inWrite.kept) await deps.idempotency.complete(scope, key, keeping.keep(response));
  return response;
}

/**
 * Lets work that appends events keep its answer in that same append
 * (`EventStore.append`), instead of in a write of its own after it: then no crash
 * between the two can leave the events without the answer, for a retry to run the
 * work a second time once the claim's lease lapses. Work that keeps nothing this
 * way is answered after it, as before.
 */
export class KeptInWrite {
  kept = false;

  constructor(
    private readonly scope: string,
    private readonly key: string,
    private readonly keeping: ResponseKeeping,
  ) {}

  /** What a command (`handleCommand`) appends with its events: the record of the response its result answers with. */
  answering<R>(respond: (result: R) => StoredResponse): AnswerInWrite<R> {
    return {
      recordFor: (result) => ({ scope: this.scope, key: this.key, response: this.keeping.keep(respond(result)) }),
      committed: () => {
        this.kept = true;
      },
    };
  }
}
