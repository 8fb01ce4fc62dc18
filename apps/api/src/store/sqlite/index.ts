import type { Stores } from '../types.js';
import { openDatabase } from './database.js';
import { createSqliteProofStore } from './proofs.js';
import { createSqliteRefreshStore } from './refresh.js';
import { createSqliteTodoStore } from './todos.js';
import { createSqliteUserStore } from './users.js';

/** Opens every store on one SQLite file (created with its schema when missing), or `:memory:`. */
export function openSqliteStores(path: string): Stores {
  const db = openDatabase(path);
  return {
    users: createSqliteUserStore(db),
    todos: createSqliteTodoStore(db),
    refresh: createSqliteRefreshStore(db),
    proofs: createSqliteProofStore(db),
    probes: {
      sqlite: () => {
        db.prepare('SELECT 1').get();
        return Promise.resolve();
      },
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}
