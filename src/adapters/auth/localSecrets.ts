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
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  // An existing file keeps its mode on write: make sure it is private.
  await chmod(file, 0o600);
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
  const stored = await readSecrets(file);
  let generated = false;
  if (!configured.adminSecret && !stored.adminSecret) {
    stored.adminSecret = randomBytes(24).toString('base64url');
    generated = true;
  }
  if (!configured.jwtSecret && !stored.signingKey) {
    stored.signingKey = randomBytes(32).toString('base64url');
    generated = true;
  }
  if (generated) await writeSecrets(file, stored);
  return {
    adminSecret: configured.adminSecret ?? stored.adminSecret!,
    signingKey: configured.jwtSecret ? Buffer.from(configured.jwtSecret, 'utf8') : Buffer.from(stored.signingKey!, 'base64url'),
    file,
    generated,
    saveDemoOwner: async (owner) => writeSecrets(file, { ...(await readSecrets(file)), demoOwner: owner }),
    demoOwner: () => stored.demoOwner,
  };
}
