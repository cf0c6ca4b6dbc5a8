// Several studio tabs in one browser: one tab polls, every tab follows the job to its video, and a
// hidden or closed poller hands over to a visible tab. Run by studio.e2e.mjs, which passes its own
// helpers (reset, admin calls, contexts, pages, create) so these tests work like its others.
//
// Poll counts come from the emulator's request log (GET …/jobs/{id}, whoever sent it) and, per tab,
// from the browser's own requests. Tolerances, in polls over the one-tab count of the same job:
// - JITTER (1): the poll schedule follows the job's own timing, so two runs of the same job may
//   differ by a poll that lands just before or just after a status change.
// - one per hand-over: a tab that takes over polls at once, then on its own schedule.

import { check, jobIdOf, playable, waitStatus } from "./card.mjs";

const JITTER = 1;
const LEADS = "This tab checks";
const FOLLOWS = "Another tab checks";

/** Play the card's first video (muted, as autoplay allows) until it has advanced or ended. */
async function plays(card, timeout = 30_000) {
  await playable(card, timeout);
  const played = await card.locator("video").first().evaluate(
    (v, t) =>
      new Promise((resolve, reject) => {
        const done = () => resolve({ time: v.currentTime, duration: v.duration, ended: v.ended });
        const timer = setTimeout(() => reject(new Error(`no playback: currentTime ${v.currentTime}, readyState ${v.readyState}`)), t);
        const advanced = () => {
          if (v.currentTime > 0 || v.ended) {
            clearTimeout(timer);
            done();
          }
        };
        v.addEventListener("timeupdate", advanced);
        v.addEventListener("ended", advanced);
        v.muted = true;
        v.play().catch((e) => {
          clearTimeout(timer);
          reject(e);
        });
      }),
    timeout,
  );
  check(played.time > 0 || played.ended, `the video played (${JSON.stringify(played)})`);
  check(Number.isFinite(played.duration) && played.duration > 0, `the video's duration is known (${played.duration})`);
}

/** Play "this tab is hidden" (or shown again) the way the studio hears it: visibilitychange. */
const setHidden = (page, hidden) =>
  page.evaluate((h) => {
    window.__hidden = h;
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);

const role = (page) => page.locator("[data-testid=role]").innerText();

/** Wait until the tabs' role labels say `leader` polls and every other tab follows. */
async function waitLeader(pages, leader, timeout = 10_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const roles = await Promise.all(pages.map(role));
    if (roles.every((r, i) => r.startsWith(pages[i] === leader ? LEADS : FOLLOWS))) return;
    if (Date.now() > until) throw new Error(`tab ${pages.indexOf(leader) + 1} should poll; roles: ${roles.join(" | ")}`);
    await leader.waitForTimeout(100);
  }
}

/** The one tab (of `pages`) that says it polls, once only one has said so for a second (a tab
 *  taking over waits up to 300 ms, so two visible tabs may both take over, the later one winning). */
async function theLeader(pages, timeout = 10_000) {
  const until = Date.now() + timeout;
  let last = null;
  let since = Date.now();
  for (;;) {
    const roles = await Promise.all(pages.map(role));
    const leading = pages.filter((_, i) => roles[i].startsWith(LEADS));
    const now = leading.length === 1 ? leading[0] : null;
    if (now !== last) [last, since] = [now, Date.now()];
    if (now && Date.now() - since >= 1_000) return now;
    if (Date.now() > until) throw new Error(`${leading.length} tabs poll; roles: ${roles.join(" | ")}`);
    await pages[0].waitForTimeout(100);
  }
}

/** Count each page's own GETs of a job (the browser's view: who polled, and when). */
function watchPolls(pages) {
  const seen = new Map(pages.map((p) => [p, []]));
  for (const page of pages) {
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (r.method() === "GET" && /\/jobs\/[^/]+$/.test(url.pathname)) seen.get(page).push({ id: url.pathname.split("/").pop(), at: Date.now() });
    });
  }
  return (page, id) => seen.get(page).filter((p) => p.id === id);
}

export async function tabTests({ test, newContext, open, create, clean, admin, requestLog, metrics }) {
  /** The emulator's count of GETs of job `id`. */
  const logged = async (id) => (await requestLog()).filter((r) => r.method === "GET" && r.path.endsWith(`/jobs/${id}`)).length;

  /** Open `count` tabs in `context` (the first polls), create a job in tab `creator`, wait until
   *  every tab's card is Done and plays; the job's polls, logged and per tab. */
  async function follow(context, count, creator, job) {
    const pages = [];
    for (let i = 0; i < count; i++) pages.push(await open(context));
    await waitLeader(pages, pages[0]);
    const polls = watchPolls(pages);
    const card = await create(pages[creator], job);
    const id = await jobIdOf(card);
    const cards = pages.map((p) => p.locator(`[data-testid=job][data-job-id="${id}"]`));
    for (const [i, c] of cards.entries()) {
      await c.waitFor({ timeout: 10_000 }).catch(() => {
        throw new Error(`tab ${i + 1} never showed the job`);
      });
    }
    for (const c of cards) await waitStatus(c, "Done", 60_000);
    for (const c of cards) await plays(c);
    for (const page of pages) await clean(page);
    return { id, pages, logged: await logged(id), byTab: pages.map((p) => polls(p, id).length) };
  }

  /** The polls of the same job in one tab of a fresh browser profile. */
  async function baseline(job) {
    const alone = await newContext();
    try {
      return (await follow(alone, 1, 0, job)).logged;
    } finally {
      await alone.close();
    }
  }

  for (const [count, creator] of [
    [2, 0],
    [3, 1],
  ]) {
    const where = creator === 0 ? "the polling tab" : "a following tab";
    await test(`${count} tabs, job created in ${where}: polled as often as with one tab, Done and playing in every tab`, async (context) => {
      const job = { prompt: `${count} tabs, one poller`, seconds: 2 };
      const one = await baseline(job);
      const run = await follow(context, count, creator, job);
      metrics[`polls_one_tab_vs_${count}_tabs`] = `${one} vs ${run.logged}`;
      check(one >= 1, `the one-tab run polled (${one})`);
      check(run.logged <= one + JITTER, `${count} tabs polled ${run.logged} times, one tab ${one} (tolerance ${JITTER})`);
      check(run.byTab.slice(1).every((n) => n === 0) && run.byTab[0] === run.logged, `only the first tab polled: by tab ${run.byTab.join(", ")}; logged ${run.logged}`);
    });
  }

  await test("a hidden poller hands over to a visible tab, and so does a closed one", async (context) => {
    // Slow enough (about 16 s) to hide, show and close tabs while the job runs.
    await admin("/admin/config", { speed: 1 });
    const job = { prompt: "Hand-over", seconds: 1 };
    const one = await baseline(job);
    const [a, b, c] = [await open(context), await open(context), await open(context)];
    const pages = [a, b, c];
    await waitLeader(pages, a);
    const polls = watchPolls(pages);
    const id = await jobIdOf(await create(a, job));
    await a.waitForTimeout(1_000);

    // The poller is hidden: a visible tab takes over, and the hidden one stops polling.
    await setHidden(a, true);
    const first = await theLeader(pages);
    check(first !== a, "the hidden tab handed over");
    const handedAt = Date.now();
    const other = first === b ? c : b;

    // The next in line (the other follower) is hidden when the poller closes: it takes the lock,
    // then hands over to the visible tab.
    await setHidden(a, false);
    await setHidden(other, true);
    await a.waitForTimeout(500);
    await waitLeader(pages, first);
    const closingAt = Date.now();
    await first.close();
    const left = [a, other];
    await waitLeader(left, a);
    const closedAt = Date.now();

    await setHidden(other, false);
    const cards = left.map((p) => p.locator(`[data-testid=job][data-job-id="${id}"]`));
    for (const card of cards) await waitStatus(card, "Done", 60_000);
    for (const card of cards) await plays(card);
    for (const page of left) await clean(page);

    const between = (p, from, to = Infinity) => polls(p, id).filter((r) => r.at > from && r.at < to).length;
    check(between(a, handedAt, closingAt) === 0, `the hidden tab polled ${between(a, handedAt, closingAt)} times after handing over`);
    check(between(other, closedAt) === 0, `the hidden tab polled ${between(other, closedAt)} times after handing over`);
    check(between(a, closedAt) >= 1, "the visible tab polled once it took over");
    const total = await logged(id);
    metrics.polls_one_tab_vs_three_handovers = `${one} vs ${total}`;
    check(total <= one + JITTER + 3, `polled ${total} times over 3 hand-overs, one tab ${one} (tolerance ${JITTER} + 3)`);
  });
}
