export { PostgresStore } from './store.js';
export { openPostgresStore, type PostgresStoreOptions } from './openPostgresStore.js';
export { migrate, MIGRATIONS, type Migration } from './migrations.js';
