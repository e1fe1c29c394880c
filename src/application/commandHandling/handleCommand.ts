import { setTimeout as sleep } from 'node:timers/promises';
import type { Blackout } from '../../domain/blackouts/blackout.js';
import type { Booking } from '../../domain/bookings/booking.js';
import type { WaitlistEntry } from '../../domain/waitlist/waitlistEntry.js';
import { AppError } from '../../errors/catalogue.js';
import type { Caller, Dependencies } from '../dependencies.js';
import {
  SeatConflict,
  StreamVersionConflict,
  streamOf,
  streams,
  type DomainEvent,
  type PendingEvent,
  type StoredEvent,
} from '../ports/eventStore.js';
import type { IdempotentAnswer } from '../ports/idempotencyStore.js';
import type { Versioned } from '../ports/readModel.js';

/**
 * The entities a decision reads, each remembered at the version it was read: the
 * events decided about it are appended expecting that version, so a write that
 * slipped in between is caught by the store, never overwritten.
 */
export interface VersionedState {
  booking(id: string): Promise<Booking | null>;
  blackout(id: string): Promise<Blackout | null>;
  waitlistEntry(id: string): Promise<WaitlistEntry | null>;
  /** A stream's events, remembered at its last version: for entities whose every event carries them whole (setup). */
  stream(name: string): Promise<StoredEvent[]>;
}

/** What a command decided: the events to append (possibly none) and what it answers once they are. */
interface Decision<R> {
  events: DomainEvent[];
  result: R;
}

export interface Command<R> {
  /** Reads current state and decides, through the domain's pure decide functions. May throw an AppError. */
  decide(state: VersionedState, now: number): Promise<Decision<R>>;
  /** Writers of one sector queue on its lock; only lowers contention, the store still refuses overlaps. */
  lock?: string | undefined;
  /** The answer when every attempt lost its race; 503 `unavailable` unless said otherwise. */
  exhausted?: () => AppError;
  idempotencyKey?: string | undefined;
  /** The idempotency answer to keep with the events, for the result decided (see `AnswerInWrite`). */
  answer?: AnswerInWrite<R> | undefined;
}

/** How a command keeps its idempotency answer in the append that commits its result. */
export interface AnswerInWrite<R> {
  recordFor(result: R): IdempotentAnswer;
  /** The append holding the record has committed. */
  committed(): void;
}

/** The lock that a sector's writers queue on. */
export const sectorLock = (sectorId: string) => `sector|${sectorId}`;

/** One retry policy for every command: a few attempts, each after a short random wait that doubles. */
const ATTEMPTS = 5;
const FIRST_WAIT_MS = 4;

/**
 * Read → decide → append with the versions read → on a lost race (the stream moved
 * on, or the store refused the seats), decide again on fresh state. Every command
 * of the application runs through here.
 */
export async function handleCommand<R>(deps: Dependencies, caller: Caller, command: Command<R>): Promise<R> {
  const attempt = async (): Promise<R> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await decideAndAppend(deps, caller, command);
      } catch (error) {
        const lostRace = error instanceof SeatConflict || error instanceof StreamVersionConflict;
        if (!lostRace) throw error;
        if (attempt >= ATTEMPTS)
          throw command.exhausted?.() ?? new AppError('unavailable', 'the data kept changing while this was being written; retry');
        await sleep(Math.random() * FIRST_WAIT_MS * 2 ** (attempt - 1));
      }
    }
  };
  return command.lock === undefined ? attempt() : deps.locks.withLock(command.lock, attempt);
}

async function decideAndAppend<R>(deps: Dependencies, caller: Caller, command: Command<R>): Promise<R> {
  const versions = new Map<string, number>();
  const remember = async <T>(stream: string, found: Promise<Versioned<T> | null>): Promise<T | null> => {
    const value = await found;
    versions.set(stream, value?.version ?? 0);
    return value?.value ?? null;
  };
  const state: VersionedState = {
    booking: (id) => remember(streams.booking(id), deps.reads.booking(id)),
    blackout: (id) => remember(streams.blackout(id), deps.reads.blackout(id)),
    waitlistEntry: (id) => remember(streams.waitlist(id), deps.reads.waitlistEntry(id)),
    stream: async (name) => {
      const events = await deps.events.readStream(name);
      versions.set(name, events.at(-1)?.version ?? 0);
      return events;
    },
  };
  const now = deps.clock.now();
  const { events, result } = await command.decide(state, now);
  if (events.length === 0) return result;
  const metadata = {
    actor: caller.actor,
    requestId: caller.requestId,
    ...(command.idempotencyKey ? { idempotencyKey: command.idempotencyKey } : {}),
  };
  await deps.events.append(withExpectedVersions(events, versions), metadata, now, command.answer?.recordFor(result));
  command.answer?.committed();
  return result;
}

/** Each event expects its stream where the decision read it (a stream it did not read must be new), or where the event before it left it. */
function withExpectedVersions(events: readonly DomainEvent[], read: ReadonlyMap<string, number>): PendingEvent[] {
  const next = new Map(read);
  return events.map((event) => {
    const stream = streamOf(event);
    const version = next.get(stream) ?? 0;
    next.set(stream, version + 1);
    return { stream, expectedVersion: version === 0 ? 'none' : version, event };
  });
}
