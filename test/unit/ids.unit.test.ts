import { describe, expect, it } from 'vitest';
import { timeOrderedIds } from '../../src/adapters/runtime/system.js';

describe('ids', () => {
  it('are unique, carry their prefix, and sort in the order they were made across milliseconds', async () => {
    const first = Array.from({ length: 2_000 }, () => timeOrderedIds.bookingId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = Array.from({ length: 2_000 }, () => timeOrderedIds.bookingId());
    const all = [...first, ...later];
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^bk_[0-9a-f]{28}$/);
    // Every id made after the pause sorts after every id made before it: indexes keyed on ids grow at their end.
    expect([...first].sort().at(-1)! < [...later].sort()[0]!).toBe(true);
    expect(timeOrderedIds.waitlistEntryId()).toMatch(/^wl_/);
  });
});
