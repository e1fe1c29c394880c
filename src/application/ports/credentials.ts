/**
 * The cryptography behind access: signed access tokens, password hashes, guest
 * manage tokens, random secrets. The application decides who may do what; an
 * adapter holds the keys and does the maths.
 */
export interface Credentials {
  /** A signed, short-lived access token for the user. */
  signAccessToken(userId: string): Promise<{ token: string; expiresIn: number }>;
  /** The user a valid, unexpired token was signed for; `null` for anything else (tampered, expired, `alg: none`). */
  verifyAccessToken(token: string): Promise<string | null>;
  /** Whether `given` is the platform's bootstrap admin secret (in constant time). */
  isAdminSecret(given: string): boolean;
  /** The token that lets a guest manage one resource (`booking:<id>`, `waitlist:<id>`). */
  manageToken(resource: string): string;
  isManageToken(resource: string, given: string): boolean;
  /** A memory-hard hash of the password, with its salt and parameters. */
  hashPassword(password: string): Promise<string>;
  verifyPassword(password: string, hash: string): Promise<boolean>;
  /** A fresh random secret (refresh tokens, API keys), `<prefix>_<random>`. */
  newSecret(prefix: string): string;
  /** A fast one-way digest for storing long random secrets. */
  digest(secret: string): string;
}
