import pg from 'pg';
import { checkSchemaName, prepareStatements } from './db.js';
import { migrate } from './migrations.js';
import { PostgresStore } from './store.js';

export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema of its own (created if missing), e.g. one per test file. Lower-case letters, digits, `_`. */
  schema?: string | undefined;
  /** Pool size; `pg`'s default (10) when absent. */
  maxConnections?: number | undefined;
  /** Errors of idle pooled connections (server restart, network): they are dropped and replaced. */
  onIdleError?: ((error: Error) => void) | undefined;
}

/** Connects, brings the schema up to date (safe when several processes start at once) and returns the store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }),
    // Every pooled connection resolves unqualified names in the schema first.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema},public` }),
  });
  pool.on('error', options.onIdleError ?? (() => {}));
  pool.on('connect', prepareStatements);
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return new PostgresStore(pool);
}
