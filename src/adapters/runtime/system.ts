import { randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '../../application/ports/runtime.js';

export const systemClock: Clock = { now: () => Date.now() };

export const randomIds: IdGenerator = { bookingId: () => `bk_${randomUUID().replaceAll('-', '').slice(0, 20)}` };
