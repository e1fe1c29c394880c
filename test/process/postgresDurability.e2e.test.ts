import { describeDurability } from './durability.js';
import { freshDatabase, postgresAvailable } from '../support/freshDatabase.js';

describeDurability('PostgreSQL', async () => {
  if (!(await postgresAvailable())) return null;
  const database = await freshDatabase();
  return { env: { STORE: 'postgres', DATABASE_URL: database.url }, cleanup: database.drop };
});
