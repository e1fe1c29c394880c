/**
 * How long a party stays when the request does not say: the first rule whose
 * `upTo` holds the party, else `otherwise`. E.g. ≤2 → 75, ≤4 → 90, ≤8 → 120, else 150.
 */
export interface DurationRules {
  rules: { upTo: number; minutes: number }[];
  otherwise: number;
  /** Stays come from the learned turn times where a cell has `minSamples` samples (default 5), else from the rules. */
  learned?: boolean | undefined;
  minSamples?: number | undefined;
}

export function durationForParty(rules: DurationRules, partySize: number): number {
  const sorted = [...rules.rules].sort((a, b) => a.upTo - b.upTo);
  return sorted.find((rule) => partySize <= rule.upTo)?.minutes ?? rules.otherwise;
}

/**
 * How long a large party's hold lasts before it lapses, when the restaurant holds
 * parties of its size for approval; `undefined` when the party is confirmed at once.
 */
export function holdMinutesFor(
  restaurant: { largeGroups?: { threshold: number; holdMinutes: number } | undefined },
  partySize: number,
): number | undefined {
  const largeGroups = restaurant.largeGroups;
  return largeGroups && partySize >= largeGroups.threshold ? largeGroups.holdMinutes : undefined;
}
