import type { AdminInfo } from '../contracts/setup.js';
import type { Dependencies } from '../dependencies.js';

export async function adminInfo(deps: Dependencies, startedAt: number): Promise<AdminInfo> {
  return {
    service: 'wokibrain',
    version: deps.settings.version,
    store: deps.settings.storeName,
    startedAt: new Date(startedAt).toISOString(),
    counts: await deps.reads.counts(),
  };
}
