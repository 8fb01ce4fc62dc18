import { sealingKeys, sessionIdHash, sqliteStore, SESSION_COOKIE } from '@tokenlane/bff';
import type { BrowserContext, Page } from 'playwright-core';
import type { RunningBff } from './bffServer.js';

/** A JWT (the API's access tokens are): what must never reach the page in BFF mode. */
export const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}\./;

/** The tokens the BFF holds for the session of `context` (the test has the BFF's key). */
export async function heldTokens(bff: RunningBff, context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) return [];
  const store = sqliteStore({ path: bff.databasePath });
  try {
    const key = sessionIdHash(cookie.value);
    const stored = await store.read(key);
    if (!stored) return [];
    const { tokens } = JSON.parse(sealingKeys(bff.keys).open(stored.data, key)) as {
      tokens: { accessToken: string; refreshToken?: string };
    };
    return [tokens.accessToken, tokens.refreshToken].filter((t): t is string => Boolean(t));
  } finally {
    await store.close();
  }
}

/**
 * Records what the page's JavaScript could see: every response body it received, and every
 * `postMessage` (window, BroadcastChannel, MessagePort) it sent, from page load on.
 */
export async function recordExposure(page: Page) {
  const bodies: string[] = [];
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type === 'fetch' || type === 'xhr' || type === 'document') {
      response.text().then(
        (text) => bodies.push(text),
        () => {},
      );
    }
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __posted: string[] };
    w.__posted = [];
    const record = (data: unknown) => {
      try {
        w.__posted.push(JSON.stringify(data));
      } catch {
        w.__posted.push(String(data));
      }
    };
    for (const proto of [BroadcastChannel.prototype, MessagePort.prototype]) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound with apply below
      const original = proto.postMessage as (this: unknown, ...args: unknown[]) => void;
      proto.postMessage = function (this: unknown, ...args: unknown[]) {
        record(args[0]);
        return original.apply(this, args);
      } as typeof proto.postMessage;
    }
    const post = window.postMessage.bind(window);
    window.postMessage = ((message: unknown, ...rest: [string]) => {
      record(message);
      post(message, ...rest);
    }) as typeof window.postMessage;
  });
  return bodies;
}

/** Everything the page's JavaScript can read right now: storage, cookies, the DOM, messages. */
export async function readableByScript(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const dump = (storage: Storage) =>
      JSON.stringify(Object.fromEntries(Object.keys(storage).map((k) => [k, storage.getItem(k)])));
    const databases: string[] = [];
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
        });
        databases.push(JSON.stringify(all));
      }
      db.close();
    }
    return {
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      cookie: document.cookie,
      dom: document.documentElement.outerHTML,
      indexedDB: databases.join('\n'),
      posted: (window as unknown as { __posted: string[] }).__posted.join('\n'),
    };
  });
}
