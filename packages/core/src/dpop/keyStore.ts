/** Where the DPoP key pair lives: one per browser profile, shared by its tabs. */
export interface DpopKeyStore {
  /** The stored key pair, if any. */
  get(): Promise<CryptoKeyPair | undefined>;
  /**
   * Stores `keys` unless a pair is stored already (another tab won the race): resolves with the
   * pair that is stored now.
   */
  add(keys: CryptoKeyPair): Promise<CryptoKeyPair>;
  /** Deletes the stored pair: the next proof makes a new one. */
  clear(): Promise<void>;
}

/** A key pair kept in memory only: a reload makes a new one (and the server's binding is lost). */
export function memoryKeyStore(): DpopKeyStore {
  let stored: CryptoKeyPair | undefined;
  return {
    get: () => Promise.resolve(stored),
    add: (keys) => Promise.resolve((stored ??= keys)),
    clear: () => Promise.resolve(void (stored = undefined)),
  };
}

const DB_NAME = 'tokenlane-dpop';
const STORE = 'keys';
const KEY = 'current';

/** Runs `request` and resolves with its result. */
const done = <T>(request: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

/**
 * The key pair in IndexedDB, which keeps a `CryptoKey` as it is: the private key stays
 * non-extractable, survives reloads, and every tab of the browser profile uses the same one.
 */
export function indexedDbKeyStore(factory: IDBFactory = indexedDB): DpopKeyStore {
  let opened: Promise<IDBDatabase> | undefined;
  const db = () => {
    if (!opened) {
      const request = factory.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      opened = done(request);
    }
    return opened;
  };
  const store = async (mode: IDBTransactionMode) =>
    (await db()).transaction(STORE, mode).objectStore(STORE);
  const get = async () =>
    (await done((await store('readonly')).get(KEY))) as CryptoKeyPair | undefined;
  return {
    get,
    async add(keys) {
      // `add` fails when the key exists: another tab stored its pair first, and that one wins.
      await done((await store('readwrite')).add(keys, KEY)).catch(() => undefined);
      return (await get()) ?? keys;
    },
    async clear() {
      await done((await store('readwrite')).delete(KEY));
    },
  };
}
