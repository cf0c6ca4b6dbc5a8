// What both polling figures (P3 for jobs, P3 for videos) share: the oracle that finds when an item
// really ended, the fixed-interval poller, and small helpers.

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * An oracle: `watch(id)` resolves with the time the item is first seen ended in `list()` (the
 * newest items, `[{ id, status }]`), read every 50 ms while anything is watched; uncounted.
 */
export function oracle(list, ended) {
  const open = new Map();
  let listing = false;
  const loop = async () => {
    listing = true;
    while (open.size > 0) {
      const items = await list();
      const at = performance.now();
      for (const item of items) {
        if (open.has(item.id) && ended(item.status)) {
          open.get(item.id)(at);
          open.delete(item.id);
        }
      }
      await sleep(50);
    }
    listing = false;
  };
  return (id) => new Promise((resolve) => {
    open.set(id, resolve);
    if (!listing) loop();
  });
}

/** Poll every `intervalMs`, sleeping first, until `hasEnded()` says so: the polls and when it was seen. */
export async function fixed(hasEnded, intervalMs) {
  let polls = 0;
  for (;;) {
    await sleep(intervalMs);
    polls += 1;
    if (await hasEnded()) return { polls, seenAt: performance.now() };
  }
}
