import { createHash } from 'node:crypto';
import type { Client, Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

/** What the query helpers need: a pool or a client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * Runs `work` inside BEGIN … COMMIT on one pooled connection; rolls back on any
 * error. A connection whose rollback failed is destroyed instead of reused.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** SQLSTATE codes this adapter reacts to. */
export const SQLSTATE = {
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

export interface PgErrorFields {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** The SQLSTATE fields of an error from `pg`, if it is one. */
export function pgError(error: unknown): PgErrorFields | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const fields = error as { code?: unknown; constraint?: unknown; detail?: unknown };
  if (typeof fields.code !== 'string') return null;
  return {
    code: fields.code,
    constraint: typeof fields.constraint === 'string' ? fields.constraint : undefined,
    detail: typeof fields.detail === 'string' ? fields.detail : undefined,
  };
}

/** bigint and count(*) columns arrive as strings (they may exceed 2^53); ours never do. */
export function toNumber(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(number)) throw new Error(`expected a safe integer from PostgreSQL, got ${String(value)}`);
  return number;
}

/** A schema name safe to splice into SQL and into the search_path option unquoted. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid schema name "${schema}": use lower-case letters, digits and _ (at most 63)`);
  }
  return schema;
}

const statementNames = new Map<string, string>();

/** A statement's name: its text's hash, so that one name always means one text. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `w${createHash('sha256').update(text).digest('base64url').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Makes every parameterised statement of this connection a named prepared one: the
 * server parses and plans each text once per connection, not on every call. The
 * texts are all this adapter's own (no values spliced in), so there are few.
 */
export function prepareStatements(client: Client | PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values, ...rest] = args;
    if (typeof text === 'string' && Array.isArray(values)) return query({ name: statementName(text), text, values }, ...rest);
    return query(...args);
  };
}
