import type { Dependencies } from './application/dependencies.js';
import type { Clock, IdGenerator } from './application/ports/runtime.js';
import { createWokiBrain, type WokiBrain } from './application/wokiBrain.js';
import { MemoryStore } from './adapters/memory/memoryStore.js';
import { InProcessLocks } from './adapters/runtime/inProcessLocks.js';
import { randomIds, systemClock } from './adapters/runtime/system.js';

export const VERSION = '0.1.0';

export interface Composition {
  app: WokiBrain;
  deps: Dependencies;
}

export interface ComposeOptions {
  idempotencyRetentionMs?: number;
  idempotencyWaitMs?: number;
  clock?: Clock;
  ids?: IdGenerator;
}

/** Wires the application to its adapters: the only place that knows which store runs. */
export function composeInMemory(options: ComposeOptions = {}): Composition {
  const store = new MemoryStore();
  const deps: Dependencies = {
    events: store,
    reads: store,
    idempotency: store,
    locks: new InProcessLocks(),
    clock: options.clock ?? systemClock,
    ids: options.ids ?? randomIds,
    settings: {
      idempotencyRetentionMs: options.idempotencyRetentionMs ?? 86_400_000,
      idempotencyWaitMs: options.idempotencyWaitMs ?? 10_000,
      storeName: 'memory',
      version: VERSION,
    },
  };
  return { app: createWokiBrain(deps), deps };
}
