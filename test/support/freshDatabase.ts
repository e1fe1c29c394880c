import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_URL } from './services.js';

export { postgresAvailable } from './services.js';

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database for one test file: what separate server processes need to share. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wokibrain_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
