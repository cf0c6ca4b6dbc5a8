// What both Playwright suites (studio.e2e.mjs, faults.e2e.mjs) ask of a job card in the studio.

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** What the card says, on one line (for error messages). */
const saying = async (card) => (await card.innerText().catch(() => "(card gone)")).replace(/\s+/g, " ");

/** The card's service job id, once the job is created. */
export async function jobIdOf(card, timeout = 30_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const id = await card.getAttribute("data-job-id");
    if (id) return id;
    if (Date.now() > until) throw new Error(`the job got no id (card says: ${await saying(card)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Wait until the card's status chip shows `text` (a string or a RegExp). */
export async function waitStatus(card, text, timeout = 60_000) {
  try {
    await card.locator("[data-testid=status]", { hasText: text }).waitFor({ timeout });
  } catch {
    throw new Error(`status never became ${text}; the card says: ${await saying(card)}`);
  }
}

/** The first video of a card, once it can play: readyState, size, duration and source. */
export async function playable(card, timeout = 60_000) {
  const video = card.locator("video").first();
  try {
    await video.waitFor({ timeout });
  } catch {
    throw new Error(`no video; the card says: ${await saying(card)}`);
  }
  await video.evaluate(
    (v, t) =>
      new Promise((resolve, reject) => {
        if (v.readyState >= 2) return resolve();
        v.addEventListener("loadeddata", () => resolve(), { once: true });
        v.addEventListener("error", () => reject(new Error("video error " + (v.error && v.error.code))), { once: true });
        v.load();
        setTimeout(() => reject(new Error("video never loaded")), t);
      }),
    timeout,
  );
  return video.evaluate((v) => ({ readyState: v.readyState, width: v.videoWidth, height: v.videoHeight, duration: v.duration, src: v.src }));
}
