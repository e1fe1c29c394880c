/**
 * At most one log line per kind per interval: a dependency that fails on every reconnect
 * attempt or every request writes one line now and then, each saying how many like it
 * were left out since the last one.
 */
export function logThrottle(intervalMs: number, now: () => number = Date.now) {
  const kinds = new Map<string, { lastAt: number; suppressed: number }>();
  return (kind: string, write: (suppressed: number) => void): void => {
    const at = now();
    const seen = kinds.get(kind);
    if (seen && at - seen.lastAt < intervalMs) {
      seen.suppressed++;
      return;
    }
    kinds.set(kind, { lastAt: at, suppressed: 0 });
    write(seen?.suppressed ?? 0);
  };
}
