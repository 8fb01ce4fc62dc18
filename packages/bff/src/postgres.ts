export { postgresStore, type PostgresStoreOptions } from './store/postgres.js';
