import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Steps } from '../../domain/seating/steps.js';

/**
 * How long engine work runs before the event loop serves others. Nearly every
 * search ends well within it; a party of hundreds over a big room can take 100 ms
 * or more, which no request should hold the process for.
 */
export const ENGINE_SLICE_MS = 10;

/**
 * Runs the steps, letting the event loop turn whenever a slice has been spent
 * since it last did: the longest hold is a slice plus the work between two of the
 * engine's pauses. Work that ends within a slice never waits.
 */
export async function inSlices<T>(steps: Steps<T>, sliceMs = ENGINE_SLICE_MS): Promise<T> {
  let resumed = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - resumed >= sliceMs) {
      await nextTurn();
      resumed = performance.now();
    }
  }
}
