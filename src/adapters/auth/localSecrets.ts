import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the server keeps in `DATA_DIR/secrets.json` (mode 0600) when the environment does not give it. */
interface SecretsFile {
  adminSecret?: string;
  /** base64url; signs access tokens and guest manage tokens. */
  signingKey?: string;
  /** The demo restaurant's owner, so that `npm start` gives a newcomer a login. */
  demoOwner?: { email: string; password: string };
}

export interface LocalSecrets {
  adminSecret: string;
  signingKey: Buffer;
  /** Where generated secrets live: logged instead of the secrets themselves. */
  file: string;
  generated: boolean;
  /** Records the demo owner's credentials beside the admin secret. */
  saveDemoOwner(owner: { email: string; password: string }): Promise<void>;
  demoOwner(): { email: string; password: string } | undefined;
}

async function readSecrets(file: string): Promise<SecretsFile> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SecretsFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function writeSecrets(file: string, secrets: SecretsFile): Promise<void> {
  // Private before anything is written into it (an existing file keeps its mode on write).
  await chmod(file, 0o600).catch(() => undefined);
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Creates the file only if nobody has: of several processes starting together on
 * one DATA_DIR, one writes and the others read what it wrote, so all share one key.
 */
async function createSecrets(file: string, secrets: SecretsFile): Promise<SecretsFile> {
  try {
    await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return secrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Written by another process a moment ago; give it the time to finish writing.
    for (let attempt = 0; attempt < 50; attempt++) {
      const written = await readSecrets(file).catch(() => ({}) as SecretsFile);
      if (written.adminSecret && written.signingKey) return written;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return readSecrets(file);
  }
}

/**
 * The admin secret and the token signing key: from the environment when set,
 * else generated once and kept in `DATA_DIR/secrets.json`, so that tokens and the
 * admin secret survive a restart. Secrets are never logged; the file's path is.
 */
export async function loadLocalSecrets(
  dataDir: string,
  configured: { adminSecret?: string | undefined; jwtSecret?: string | undefined },
): Promise<LocalSecrets> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  let stored = await readSecrets(file);
  let generated = false;
  const missing = (!configured.adminSecret && !stored.adminSecret) || (!configured.jwtSecret && !stored.signingKey);
  if (missing) {
    const fresh = { adminSecret: randomBytes(24).toString('base64url'), signingKey: randomBytes(32).toString('base64url'), ...stored };
    const existed = Object.keys(stored).length > 0;
    stored = existed ? (await writeSecrets(file, fresh), fresh) : await createSecrets(file, fresh);
    generated = true;
  }
  return {
    adminSecret: configured.adminSecret ?? stored.adminSecret!,
    signingKey: configured.jwtSecret ? Buffer.from(configured.jwtSecret, 'utf8') : Buffer.from(stored.signingKey!, 'base64url'),
    file,
    generated,
    saveDemoOwner: async (owner) => writeSecrets(file, { ...(await readSecrets(file)), demoOwner: owner }),
    demoOwner: () => stored.demoOwner,
  };
}
