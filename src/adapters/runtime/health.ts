/** How a dependency the service can run without is doing, for readiness. */
export type DependencyHealth = { status: 'ok' } | { status: 'degraded'; detail: string };

/** A dependency whose loss degrades the service without stopping it (Redis locks, say). */
export interface DependencyCheck {
  name: string;
  health(): DependencyHealth;
}
