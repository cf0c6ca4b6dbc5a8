// IndexedDB for the studio's library, as promises; `storage.rs` is the API the studio uses.
//
// Written here rather than through a Rust IndexedDB crate: the browser's API is event-based, and
// wrapping it in Rust brought ~12 KB of wasm (futures, channels, closures) to the first load.

const NAME = "sora-studio";
// Version 2 added the store of submissions not yet accepted by the service.
const VERSION = 2;

/** The open connection (a promise of it), opened on first use; `null` after it closed. */
let opened = null;

function db() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const database = request.result;
      for (const name of ["jobs", "pending", "media"]) {
        if (database.objectStoreNames.contains(name)) continue;
        const store = database.createObjectStore(name, { keyPath: "id" });
        if (name === "media") store.createIndex("job_id", "job_id");
      }
    };
    request.onsuccess = () => {
      const database = request.result;
      // Another tab opening a newer version waits until this connection closes: close it (the
      // next use here opens it again).
      database.onversionchange = () => {
        database.close();
        opened = null;
      };
      resolve(database);
    };
    request.onerror = () => reject(request.error);
  }).catch((error) => {
    opened = null;
    throw error;
  });
  return opened;
}

/** Run `work(stores…)` in one transaction; resolves with its result once the transaction committed. */
async function transaction(names, mode, work) {
  const tx = (await db()).transaction(names, mode);
  const committed = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException("The library's transaction was aborted.", "AbortError"));
  });
  const result = work(...names.map((name) => tx.objectStore(name)));
  await committed;
  return result.result;
}

/** Save (or replace) `value` (an object with an `id`) in the store `name`. */
export const put = (name, value) => transaction([name], "readwrite", (store) => store.put(value)).then(() => undefined);

/** Every value of the store `name`, or those whose `index` is `key`. */
export const getAll = (name, index, key) =>
  transaction([name], "readonly", (store) => (index ? store.index(index).getAll(key) : store.getAll()));

/** Remove the value keyed `key` from the store `name`. */
export const remove = (name, key) => transaction([name], "readwrite", (store) => store.delete(key)).then(() => undefined);

/** Remove a job record and every video saved for it, together. */
export const removeJob = (id) =>
  transaction(["jobs", "media"], "readwrite", (jobs, media) => {
    jobs.delete(id);
    const keys = media.index("job_id").getAllKeys(id);
    keys.onsuccess = () => keys.result.forEach((key) => media.delete(key));
    return keys;
  }).then(() => undefined);

/** Empty the library (jobs and videos) in one go. */
export const clearLibrary = () =>
  transaction(["jobs", "media"], "readwrite", (jobs, media) => (media.clear(), jobs.clear())).then(() => undefined);
