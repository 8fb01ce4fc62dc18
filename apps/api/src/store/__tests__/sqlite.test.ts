import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStores } from '../sqlite/index.js';
import { proofStoreContract } from './proofStoreContract.js';
import { refreshStoreContract } from './refreshStoreContract.js';
import { userTodoStoreContract } from './userTodoStoreContract.js';

refreshStoreContract('SQLite (two connections to one file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-contract-'));
  const a = openSqliteStores(join(dir, 'db.sqlite'));
  const b = openSqliteStores(join(dir, 'db.sqlite'));
  const user = await a.users.create({
    email: 'contract@example.com',
    name: 'C',
    role: 'user',
    passwordHash: 'x',
  });
  return {
    a: a.refresh,
    b: b.refresh,
    userId: user!.id,
    close: async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

userTodoStoreContract('SQLite (two connections to one file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-contract-'));
  const a = openSqliteStores(join(dir, 'db.sqlite'));
  const b = openSqliteStores(join(dir, 'db.sqlite'));
  return Promise.resolve({
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

proofStoreContract('SQLite (two connections to one file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-contract-'));
  const a = openSqliteStores(join(dir, 'db.sqlite'));
  const b = openSqliteStores(join(dir, 'db.sqlite'));
  return Promise.resolve({
    a: a.proofs,
    b: b.proofs,
    close: async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
