// The errors people meet first, against the real emulator: a deployment the resource does not have,
// a prompt the content filter refuses at create, and each way a job ends without a video
// (input_moderation, output_moderation, internal_error, cancelled). Each card must say what happened
// and offer what makes sense next, and those actions must work. Run by studio.e2e.mjs, which passes
// its own helpers so these tests work like its others.
//
// The emulator's prompt triggers: `blocked-by-moderation`, `__output_moderation__`,
// `__internal_error__`, `__cancelled__`; `violence` is refused at create with a revised prompt.

import { check, jobIdOf, waitStatus } from "./card.mjs";

/** The job card's buttons a person can see, by test id. */
const offered = async (card) =>
  (await card.locator(".actions button").evaluateAll((buttons) => buttons.map((b) => b.dataset.testid))).sort();

/** The service's jobs with this prompt. */
async function jobsWith(api, prompt) {
  const list = await (await api("/jobs?limit=100")).json();
  return list.data.filter((j) => j.prompt === prompt);
}

/** Create a job and wait until its chip says `status`; returns its card, pinned by job id (the
 * first card changes once another job is created), and the id. */
async function ended(page, create, prompt, status) {
  const first = await create(page, { prompt, seconds: 1 });
  const id = await jobIdOf(first);
  const card = page.locator(`[data-testid=job][data-job-id="${id}"]`);
  await waitStatus(card, status, 60_000);
  return { card, id };
}

/** Click Try again: a new card with a new job on top, the ended one kept. Returns the new card. */
async function tryAgain(page, card, endedId) {
  const before = await page.locator("[data-testid=job]").count();
  await card.locator("[data-testid=try-again]").click();
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=job]").length === n + 1, before);
  const id = await jobIdOf(page.locator("[data-testid=job]").first());
  check(id !== endedId, `Try again made a new job (${id}, was ${endedId})`);
  check((await page.locator(`[data-testid=job][data-job-id="${endedId}"]`).count()) === 1, "the ended job keeps its card");
  return { fresh: page.locator(`[data-testid=job][data-job-id="${id}"]`), id };
}

/** Click Edit prompt: the prompt is in the create form, focused. */
async function editPrompt(page, card, prompt) {
  await card.locator("[data-testid=edit-prompt]").click();
  check((await page.inputValue("#prompt")) === prompt, `Edit prompt put the job's prompt in the form (${await page.inputValue("#prompt")})`);
  check((await page.evaluate(() => document.activeElement.id)) === "prompt", "focus on the prompt");
}

/** Click Delete: the card goes, and the job is gone from the service. */
async function deleteJob(page, card, id, api) {
  await card.locator("[data-testid=delete]").click();
  await page.locator(`[data-testid=job][data-job-id="${id}"]`).waitFor({ state: "detached", timeout: 15_000 });
  check((await api(`/jobs/${id}`)).status === 404, "deleted on the service");
}

export async function serviceErrorTests({ test, open, create, clean, api, axe, shot }) {
  await test("an unknown deployment is named at the deployment field, which gets focus", async (context) => {
    const page = await open(context);
    await page.fill("#deployment", "no-such-deployment");
    await page.press("#deployment", "Enter");
    await page.focus("#prompt");
    const card = await create(page, { prompt: "A calm lake at dawn", seconds: 1 });
    await waitStatus(card, "Refused", 30_000);
    await card.getByText("No deployment named 'no-such-deployment' on this resource").waitFor();
    check((await card.innerText()).includes("HTTP 404"), "the card gives the service's answer");
    const field = page.locator("#deployment");
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === "deployment", null, { timeout: 5_000 });
    check((await field.getAttribute("aria-invalid")) === "true", "the deployment field is marked invalid");
    const described = (await field.getAttribute("aria-describedby")) ?? "";
    const message = await page.locator("[data-testid=deployment-error]").innerText();
    check(described.split(/\s+/).includes(await page.locator("[data-testid=deployment-error]").getAttribute("id")), "the message describes the field");
    check(message.includes("No deployment named 'no-such-deployment' on this resource"), `message at the field: ${message}`);
    check((await card.locator("[data-testid=retry]").count()) === 0, "no Try again: the same request would be refused again");
    await shot(page, "16-unknown-deployment");
    await axe(page, "unknown deployment");
    // Corrected: the mark goes, and the same prompt is accepted.
    await page.fill("#deployment", "sora");
    await page.press("#deployment", "Enter");
    await page.waitForFunction(() => document.getElementById("deployment").getAttribute("aria-invalid") === "false", null, { timeout: 5_000 });
    check((await page.locator("[data-testid=deployment-error]").innerText()).trim() === "", "the message goes too");
    const again = await create(page, { prompt: "A calm lake at dawn" });
    await jobIdOf(again);
    await clean(page, { allowConsole: [/404|Failed to load resource/] });
  });

  await test("a refused prompt's revised prompt, put in the form, is accepted", async (context) => {
    const page = await open(context);
    const prompt = "A scene of violence in the street at night";
    await create(page, { prompt });
    // Pinned by its prompt: the card made from the revised prompt comes on top.
    const card = page.locator("[data-testid=job]", { hasText: prompt });
    await waitStatus(card, "Refused", 30_000);
    await card.getByText("Blocked by the content policy").waitFor();
    check((await card.innerText()).includes("content_policy_violation"), "names the service's code");
    check(!(await card.getAttribute("data-job-id")), "no job");
    check((await jobsWith(api, prompt)).length === 0, "the service made no job");
    check((await offered(card)).join() === "cancel", `only Dismiss is offered besides the revised prompt (${await offered(card)})`);
    check((await card.locator("[data-testid=cancel]").innerText()) === "Dismiss", "Dismiss");
    const revised = await card.locator("[data-testid=revised-prompt]").innerText();
    check(revised === "A scene of in the street at night", `revised prompt: ${revised}`);
    await card.getByRole("button", { name: "Use revised prompt" }).click();
    const accepted = await create(page);
    await jobIdOf(accepted);
    check((await jobsWith(api, revised)).length === 1, "the revised prompt made a job");
    await card.locator("[data-testid=cancel]").click();
    await card.waitFor({ state: "detached" });
    await clean(page, { allowConsole: [/400|Failed to load resource/] });
  });

  await test("input_moderation: the card says the prompt was refused and offers Edit prompt and Delete", async (context) => {
    const page = await open(context);
    const prompt = "A harbour at night blocked-by-moderation";
    const { card, id } = await ended(page, create, prompt, "Failed");
    await card.getByText("Blocked by content moderation").waitFor();
    check((await card.innerText()).includes("Edit the prompt"), "says what to do");
    check((await offered(card)).join() === "delete,edit-prompt", `offers Edit prompt and Delete (${await offered(card)})`);
    await setPromptElsewhere(page);
    await editPrompt(page, card, prompt);
    await deleteJob(page, card, id, api);
    await clean(page);
  });

  await test("output_moderation: the card offers Try again, Edit prompt and Delete, and each works", async (context) => {
    const page = await open(context);
    const prompt = "A harbour at noon __output_moderation__";
    const { card, id } = await ended(page, create, prompt, "Failed");
    await card.getByText("The video was blocked by content moderation").waitFor();
    check((await card.innerText()).includes("output_moderation") && (await card.innerText()).includes("Try again"), "says what happened and what to do");
    check((await offered(card)).join() === "delete,edit-prompt,try-again", `offers (${await offered(card)})`);
    const { fresh } = await tryAgain(page, card, id);
    await waitStatus(fresh, "Failed", 60_000);
    check((await jobsWith(api, prompt)).length === 2, "a second job with the same prompt");
    await setPromptElsewhere(page);
    await editPrompt(page, card, prompt);
    await deleteJob(page, card, id, api);
    await clean(page);
  });

  await test("internal_error: the card offers Try again and Delete, and Try again creates a new job", async (context) => {
    const page = await open(context);
    const prompt = "A harbour at dusk __internal_error__";
    const { card, id } = await ended(page, create, prompt, "Failed");
    await card.getByText("The service failed").waitFor();
    check((await card.innerText()).includes("internal_error"), "names internal_error");
    check((await offered(card)).join() === "delete,try-again", `offers Try again and Delete (${await offered(card)})`);
    const { fresh, id: freshId } = await tryAgain(page, card, id);
    await waitStatus(fresh, "Failed", 60_000);
    check((await jobsWith(api, prompt)).map((j) => j.id).includes(freshId), "the new job is on the service");
    await deleteJob(page, card, id, api);
    await clean(page);
  });

  await test("cancelled: the card says so and offers Try again and Delete", async (context) => {
    const page = await open(context);
    const prompt = "A harbour at dawn __cancelled__";
    const { card, id } = await ended(page, create, prompt, "Cancelled");
    await card.getByText("cancelled on the service before it made a video").waitFor();
    check((await card.locator("video").count()) === 0, "no video");
    check((await offered(card)).join() === "delete,try-again", `offers Try again and Delete (${await offered(card)})`);
    await shot(page, "17-cancelled");
    const { fresh } = await tryAgain(page, card, id);
    await waitStatus(fresh, "Cancelled", 60_000);
    await deleteJob(page, card, id, api);
    await clean(page);
  });
}

/** Type something else into the prompt, so Edit prompt has to bring the job's prompt back. */
async function setPromptElsewhere(page) {
  await page.fill("#prompt", "Something else entirely");
}
