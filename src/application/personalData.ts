/** The fields that identify a guest: sealed in the log, scrubbed by erasure, never logged. */
export const PERSONAL_FIELDS = ['guestName', 'guestEmail', 'guestPhone', 'notes'] as const;

/** Where in an event's data a whole booking or waitlist entry sits. */
export const PERSONAL_HOLDERS = ['booking', 'entry'] as const;

/**
 * The object in an event's data that carries personal fields (a booking or a
 * waitlist entry, whole), the key it sits under, and its data subject: the guest
 * profile when it has one, else the booking or entry itself. Null when the event
 * carries nothing personal.
 */
export function personalHolderOf(data: unknown): { field: 'booking' | 'entry'; holder: Record<string, unknown>; subject: string } | null {
  if (!data || typeof data !== 'object') return null;
  for (const field of PERSONAL_HOLDERS) {
    const holder = (data as Record<string, unknown>)[field] as Record<string, unknown> | undefined;
    if (!holder || typeof holder !== 'object') continue;
    if (!PERSONAL_FIELDS.some((name) => holder[name] !== undefined)) return null;
    const subject = typeof holder.guestId === 'string' ? holder.guestId : `${field}:${String(holder.id)}`;
    return { field, holder, subject };
  }
  return null;
}

/** A copy without the personal fields. */
export function withoutPersonalFields<T extends object>(value: T): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const field of PERSONAL_FIELDS) delete copy[field];
  return copy as T;
}

/** The event data with its booking's or entry's personal fields left out (the data itself when it carries none). */
export function eventWithoutPersonalFields<T>(data: T): T {
  const found = personalHolderOf(data);
  return found ? ({ ...data, [found.field]: withoutPersonalFields(found.holder) } as T) : data;
}

/** An event (of any kind) with its data's personal fields left out. */
export function eventWithoutPersonalData<E extends { data: unknown }>(event: E): E {
  return { ...event, data: eventWithoutPersonalFields(event.data) } as E;
}

/** Only the personal fields that are set. */
export function personalFieldsOf(value: object): Partial<Record<(typeof PERSONAL_FIELDS)[number], string>> {
  const fields: Record<string, string> = {};
  for (const field of PERSONAL_FIELDS) {
    const text = (value as Record<string, unknown>)[field];
    if (typeof text === 'string') fields[field] = text;
  }
  return fields;
}
