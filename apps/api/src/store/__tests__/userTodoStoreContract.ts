import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCursorError, QuotaExceededError, UnknownUserError } from '../errors.js';
import type { Stores, UserRecord } from '../types.js';

/** Two instances of one backend (two API processes) sharing users and todos. */
export interface UserTodoStores {
  a: Pick<Stores, 'users' | 'todos'>;
  b: Pick<Stores, 'users' | 'todos'>;
  close(): Promise<void>;
}

const person = (email: string): Omit<UserRecord, 'id'> => ({
  email,
  name: 'Ada',
  role: 'user',
  passwordHash: 'hash',
});

/** The behaviour every user and todo store must have; run once per backend. */
export function userTodoStoreContract(name: string, open: () => Promise<UserTodoStores>) {
  describe(`UserStore and TodoStore contract: ${name}`, () => {
    let s: UserTodoStores;
    beforeEach(async () => {
      s = await open();
    });
    afterEach(() => s.close());

    it('creates a user once per email, compared without case, and finds it from the other instance', async () => {
      const created = await s.a.users.create(person('Ada@Example.com'));
      expect(created).toMatchObject({ email: 'Ada@Example.com', name: 'Ada', role: 'user' });
      expect(await s.b.users.create(person('ada@example.COM'))).toBeUndefined();
      expect(await s.b.users.findByEmail('ADA@example.com')).toEqual(created);
      expect(await s.b.users.findById(created!.id)).toEqual(created);
      expect(await s.b.users.findById('nobody')).toBeUndefined();
      expect(await s.a.users.count()).toBe(1);
    });

    it('pages todos oldest first with an opaque cursor, scoped by owner', async () => {
      const ada = (await s.a.users.create(person('ada@example.com')))!;
      const bob = (await s.a.users.create(person('bob@example.com')))!;
      for (let i = 0; i < 5; i++) await s.a.todos.create(ada.id, `todo ${i}`, 100);
      await s.a.todos.create(bob.id, 'not yours', 100);
      const titles: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await s.b.todos.list(ada.id, { limit: 2, cursor });
        titles.push(...page.items.map((todo) => todo.title));
        cursor = page.next;
        pages++;
      } while (cursor);
      expect(titles).toEqual(['todo 0', 'todo 1', 'todo 2', 'todo 3', 'todo 4']);
      expect(pages).toBe(3);
      await expect(
        s.b.todos.list(ada.id, { limit: 2, cursor: 'bm90LWEtY3Vyc29y' }),
      ).rejects.toThrow(InvalidCursorError);
      expect(await s.a.todos.count()).toBe(6);
    });

    it("updates and removes only the owner's todos", async () => {
      const ada = (await s.a.users.create(person('ada@example.com')))!;
      const bob = (await s.a.users.create(person('bob@example.com')))!;
      const todo = await s.a.todos.create(ada.id, 'milk', 100);
      expect(todo).toMatchObject({ title: 'milk', done: false });
      expect(await s.b.todos.update(bob.id, todo.id, { done: true })).toBeUndefined();
      expect(await s.b.todos.update(ada.id, todo.id, { done: true })).toMatchObject({
        id: todo.id,
        title: 'milk',
        done: true,
      });
      expect(await s.b.todos.update(ada.id, todo.id, { title: 'oat milk' })).toMatchObject({
        title: 'oat milk',
        done: true,
      });
      expect(await s.a.todos.remove(bob.id, todo.id)).toBe(false);
      expect(await s.a.todos.remove(ada.id, todo.id)).toBe(true);
      expect(await s.a.todos.remove(ada.id, todo.id)).toBe(false);
    });

    it('holds the quota under 40 concurrent creates from two instances', async () => {
      const ada = (await s.a.users.create(person('ada@example.com')))!;
      const settled = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? s.a : s.b).todos.create(ada.id, `t${i}`, 5)),
      );
      expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      const refused = settled.filter((r) => r.status === 'rejected');
      expect(refused.every((r) => r.reason instanceof QuotaExceededError)).toBe(true);
      expect((await s.b.todos.list(ada.id, { limit: 100 })).items).toHaveLength(5);
    });

    it('refuses a todo for a user that does not exist', async () => {
      await expect(s.a.todos.create('nobody', 'x', 100)).rejects.toThrow(UnknownUserError);
    });
  });
}
