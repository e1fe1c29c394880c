import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDurability } from './durability.js';

describeDurability('SQLite', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'wokibrain-durability-'));
  return { env: { STORE: 'sqlite', DATA_DIR: dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
});
