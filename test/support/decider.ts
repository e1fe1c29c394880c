import { expect } from 'vitest';
import { AppError, type ErrorCode } from '../../src/errors/catalogue.js';

/**
 * Given / when / then for the pure deciders: `given` folds past events into the
 * aggregate's state with its evolve function (from null), `when` runs a decision
 * on that state, and the `then…` calls check what it decided.
 *
 *   given(evolveBooking, [confirmed]).when((booking) => decideCancel(booking, at)).then([cancelled]);
 *
 * Past events make the state exist, so `when` is handed it non-null; with no past
 * events it is handed null. Decisions may answer one event or a list of them.
 */
export type Evolve<State, Event> = (state: State | null, event: Event) => State | null;

/** Fields of the refusal to check besides its code: `detail`, `status`, `extra` (matched partially). */
type Refusal = Partial<Pick<AppError, 'detail' | 'status'>> & { extra?: Record<string, unknown> };

interface Decided<Decision> {
  /** Decides exactly these events, in this order. */
  then(expected: readonly Decision[]): void;
  /** Decides no event: the command changes nothing. */
  thenNothing(): void;
  /** Refuses with an AppError of the catalogue `code`, with these fields if given. */
  thenThrows(code: ErrorCode, fields?: Refusal): void;
}

export interface Given<State> {
  readonly state: State;
  when<Decision>(decide: (state: State) => Decision | readonly Decision[]): Decided<Decision>;
}

export function given<State, Event>(evolve: Evolve<State, Event>, events?: readonly []): Given<null>;
export function given<State, Event>(evolve: Evolve<State, Event>, events: readonly [Event, ...Event[]]): Given<State>;
export function given<State, Event>(evolve: Evolve<State, Event>, events: readonly Event[]): Given<State | null>;
export function given<State, Event>(evolve: Evolve<State, Event>, events: readonly Event[] = []): Given<State | null> {
  const state = events.reduce<State | null>(evolve, null);
  if (events.length > 0 && state === null) throw new Error('given: the past events fold to no state; does the first one open the stream?');
  return {
    state,
    when<Decision>(decide: (state: State | null) => Decision | readonly Decision[]): Decided<Decision> {
      /** Runs the decision once per check, and makes sure it left the state it was given alone. */
      const run = (): readonly Decision[] => {
        const before = structuredClone(state);
        try {
          const decided = decide(state);
          return Array.isArray(decided) ? decided : [decided as Decision];
        } finally {
          expect(state, 'a decision must not change the state it is given').toEqual(before);
        }
      };
      return {
        then: (expected) => expect(run()).toEqual(expected),
        thenNothing: () => expect(run()).toEqual([]),
        thenThrows: (code, fields = {}) => {
          let decided: readonly Decision[];
          try {
            decided = run();
          } catch (error) {
            expect(error, `expected an AppError ${code}, got ${String(error)}`).toBeInstanceOf(AppError);
            expect(error).toMatchObject({ code, ...fields });
            return;
          }
          expect.fail(`expected a refusal with ${code}, but it decided ${JSON.stringify(decided)}`);
        },
      };
    },
  };
}
