import type { Dependencies } from '../dependencies.js';
import type { SubscriptionStore } from '../ports/eventSubscriptions.js';
import { subscribe, type RunningSubscription } from './subscribe.js';
import { promoteWaitlistOnRelease } from './waitlistPromotion.js';

export interface ReactionOptions {
  /** This process's name on the leases: one process at a time runs each reaction. */
  owner: string;
  onError?: (error: unknown) => void;
}

/**
 * Starts every reaction to committed events. Each starts at the log's end the
 * first time it runs (the sweeper covers what came before) and from its
 * checkpoint after that.
 */
export function startReactions(
  deps: Dependencies,
  store: SubscriptionStore,
  options: ReactionOptions,
): { stop(): Promise<void>; caughtUp(): Promise<void> } {
  const running: RunningSubscription[] = [
    subscribe(store, 'waitlist-promotion', promoteWaitlistOnRelease(deps), { from: 'end', owner: options.owner, onError: options.onError }),
  ];
  return {
    stop: async () => {
      await Promise.all(running.map((subscription) => subscription.stop()));
    },
    caughtUp: async () => {
      await Promise.all(running.map((subscription) => subscription.caughtUp()));
    },
  };
}
