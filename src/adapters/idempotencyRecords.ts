import { deflateSync, inflateSync } from 'node:zlib';
import type { StoredResponse } from '../application/ports/idempotencyStore.js';

/**
 * The keys and fixed parts of a booking response: with it as zlib's preset
 * dictionary a 400-byte response stores in about 150. Never change it: stored
 * records name it by checksum, and a record written with another one no longer reads.
 */
const DICTIONARY = Buffer.from(
  '{"status":201,"body":{"id":"bk_","restaurantId":"","sectorId":"","date":"2026-","tableIds":[""],"partySize":2,' +
    '"start":"2026-T00:00:00-03:00","end":"2026-T00:00:00-03:00","durationMinutes":90,"status":"CONFIRMED",' +
    '"createdAt":"2026-T:00.000-03:00","updatedAt":"2026-T:00.000-03:00","manageToken":""}}',
);

/** A stored response, compressed: zlib (its first byte is 0x78, never `{`), against the dictionary above. */
export function packResponse(response: StoredResponse): Buffer {
  return deflateSync(JSON.stringify(response), { dictionary: DICTIONARY });
}

/** Reads a response as `packResponse` wrote it, or as JSON text (records written before it) or parsed JSON. */
export function unpackResponse(stored: Buffer | string | object): StoredResponse {
  if (Buffer.isBuffer(stored)) {
    const text = stored[0] === 0x7b ? stored.toString('utf8') : inflateSync(stored, { dictionary: DICTIONARY }).toString('utf8');
    return JSON.parse(text) as StoredResponse;
  }
  return (typeof stored === 'string' ? JSON.parse(stored) : stored) as StoredResponse;
}

/** Hashes are stored as base64url (43 characters); records written before that hold 64 hex digits. */
export function samePayloadHash(stored: string, requested: string): boolean {
  if (stored === requested) return true;
  return stored.length === 64 && /^[0-9a-f]+$/.test(stored) && Buffer.from(stored, 'hex').toString('base64url') === requested;
}
