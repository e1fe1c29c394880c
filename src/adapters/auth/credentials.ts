import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Credentials } from '../../application/ports/credentials.js';

/** About 15 minutes: long enough for a shift's burst of calls, short enough that a leaked token soon dies. */
const ACCESS_TOKEN_SECONDS = 15 * 60;
const ISSUER = 'wokibrain';
/** scrypt cost: N = 2^15, r = 8 (32 MiB per hash), as OWASP recommends for scrypt. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export interface CredentialKeys {
  /** Signs access tokens and guest manage tokens; at least 32 bytes. */
  signingKey: Buffer;
  adminSecret: string;
}

/** HS256 access tokens (jose), scrypt password hashes, HMAC manage tokens. */
export function createCredentials({ signingKey, adminSecret }: CredentialKeys): Credentials {
  const adminDigest = sha256(adminSecret);
  const hmac = (text: string) => createHmac('sha256', signingKey).update(text).digest('base64url');
  return {
    async signAccessToken(userId) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
        .sign(signingKey);
      return { token, expiresIn: ACCESS_TOKEN_SECONDS };
    },
    async verifyAccessToken(token) {
      try {
        // Only HS256 is accepted: `alg: none` and any other algorithm are refused by jose.
        const { payload } = await jwtVerify(token, signingKey, { algorithms: ['HS256'], issuer: ISSUER });
        return typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    },
    isAdminSecret(given) {
      // Comparing digests keeps the time constant whatever the lengths.
      return timingSafeEqual(sha256(given), adminDigest);
    },
    manageToken: (resource) => hmac(`manage:${resource}`),
    isManageToken(resource, given) {
      return timingSafeEqual(sha256(given), sha256(hmac(`manage:${resource}`)));
    },
    async hashPassword(password) {
      const salt = randomBytes(16);
      const key = await scryptAsync(password, salt, SCRYPT);
      return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
    },
    async verifyPassword(password, hash) {
      const [scheme, n, r, p, salt, key] = hash.split('$');
      if (scheme !== 'scrypt' || !salt || !key) return false;
      const expected = Buffer.from(key, 'base64url');
      const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
        N: Number(n),
        r: Number(r),
        p: Number(p),
        maxmem: SCRYPT.maxmem,
      });
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
    newSecret: (prefix) => `${prefix}_${randomBytes(32).toString('base64url')}`,
    digest: (secret) => sha256(secret).toString('hex'),
  };
}

/** Keys for a process that keeps nothing (tests, STORE=memory): random each start. */
export function ephemeralCredentials(adminSecret: string = randomBytes(24).toString('base64url')): Credentials {
  return createCredentials({ signingKey: randomBytes(32), adminSecret });
}
