// Browser tests of the OKR Coach page: the real okr-coach binary with a temporary database,
// driven through headless Debian chromium by playwright-core.
//   node run.mjs OKR_COACH_BINARY OUTPUT_DIR
// Exit 0: all passed; 1: a scenario failed; 77: skipped (chromium or playwright-core missing).
// Waits have generous deadlines only so a broken page fails instead of hanging; nothing here
// asserts speed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const binaryArgument = process.argv[2] || process.env.OKR_COACH_BINARY;
const binary = binaryArgument && path.resolve(binaryArgument);
const outDir = path.resolve(process.argv[3] || process.env.OKR_E2E_OUT || os.tmpdir());
const chromiumPath = process.env.OKR_E2E_CHROMIUM || "/usr/bin/chromium";
const DEADLINE = 20000;

function skip(reason) {
  console.log("SKIP e2e_web: " + reason);
  process.exit(77);
}

if (!binary || !fs.existsSync(binary)) {
  console.error("usage: node run.mjs OKR_COACH_BINARY OUTPUT_DIR (binary not found: " + binary + ")");
  process.exit(2);
}
if (!fs.existsSync(chromiumPath)) skip(chromiumPath + " is missing: apt-get install chromium (deploy/install-deps.sh does)");
let chromium;
try {
  const require = createRequire(import.meta.url);
  ({ chromium } = require("playwright-core"));
} catch (error) {
  skip("playwright-core is not installed: run `npm ci` in tests/e2e (deploy/install-deps.sh does)");
}

// ---- the server under test ---------------------------------------------------------------------

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okr-e2e-"));
const children = new Set();

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: scratch, env: { PATH: process.env.PATH } });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { out += d; });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(args[0] + " exited " + code + ": " + out))));
  });
}

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["serve", "--listen", "127.0.0.1:0", "--db", db, "--threads", "2"],
      { cwd: scratch, env: { PATH: process.env.PATH } });
    children.add(child);
    let seen = "";
    const timer = setTimeout(() => reject(new Error("serve did not start: " + seen)), DEADLINE);
    const look = (data) => {
      seen += data;
      const found = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve({
          url: found[1],
          stop: () => new Promise((done) => {
            child.once("exit", () => { children.delete(child); done(); });
            child.kill("SIGTERM");
          }),
        });
      }
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.on("error", (error) => { clearTimeout(timer); reject(error); });
    child.on("exit", (code) => { clearTimeout(timer); if (code) reject(new Error("serve exited " + code + ": " + seen)); });
  });
}

let dbCount = 0;
const freshDb = () => path.join(scratch, "coach-" + ++dbCount + ".db");

// ---- page helpers ------------------------------------------------------------------------------

async function say(page, text) {
  const box = page.getByLabel("Your message");
  await box.fill(text);
  await box.press("Enter");
}

// Waits until the newest coach message matches `pattern`; returns its text.
async function coachSays(page, pattern) {
  const handle = await page.waitForFunction((source) => {
    const all = document.querySelectorAll("#log .msg.coach");
    const last = all[all.length - 1];
    return last && new RegExp(source, "i").test(last.textContent) ? last.textContent : false;
  }, pattern.source, { timeout: DEADLINE });
  return handle.jsonValue();
}

async function draftUntilSummary(page, objective) {
  await say(page, "draft");
  await coachSays(page, /what do you want to achieve/);
  await say(page, objective);
  await coachSays(page, /why does that matter/);
  await say(page, "So new customers stay with us past the first month");
  await coachSays(page, /how will you know/);
  await say(page, "Raise 30-day activation from 40% to 60%; Cut time to first value from 14 days to 5 days");
  let next = await coachSays(page, /type done|get in the way/);
  if (/type done/i.test(next)) {
    await say(page, "done");
    next = await coachSays(page, /get in the way/);
  }
  await say(page, "The release freeze in December");
  await coachSays(page, /support/);
  await say(page, "An hour a week with the data team");
  await coachSays(page, /does this sound like you/);
}

async function openPage(browser, url, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => { if (message.type() === "error" && !/404/.test(message.text())) problems.push(message.text()); });
  await page.goto(url + "/");
  page.problems = problems;
  return page;
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- scenarios ---------------------------------------------------------------------------------

const scenarios = [];
const scenario = (name, body) => scenarios.push({ name, body });

scenario("draft by typing: the summary card shows, a typed confirm saves it, the OKR is on the dashboard", async (browser) => {
  const server = await startServer(freshDb());
  try {
    const page = await openPage(browser, server.url);
    await draftUntilSummary(page, "Help new customers succeed in their first week");
    const card = page.locator("#log .msg.coach").last().locator(".okr-card");
    await card.waitFor({ timeout: DEADLINE });
    assert((await card.textContent()).includes("Help new customers succeed"), "the draft card shows the objective in my words");
    assert((await card.locator("li").count()) === 2, "the draft card lists both key results");
    // Focus follows the conversation: the newest coach message has it.
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains("coach"));
    assert(focused, "the newest coach message has the focus");
    await say(page, "1");
    await page.locator("#mine .objective", { hasText: "Help new customers succeed in their first week" }).waitFor({ timeout: DEADLINE });
    assert(page.problems.length === 0, "no script errors: " + page.problems.join("; "));
  } finally {
    await server.stop();
  }
});

scenario("draft by clicking: Confirm is a button, and the OKR is on the dashboard", async (browser) => {
  const server = await startServer(freshDb());
  try {
    const page = await openPage(browser, server.url);
    await draftUntilSummary(page, "Make our support replies feel personal");
    const summaryId = await page.locator("#log .msg.coach").last().getAttribute("data-id");
    const confirm = page.locator('#log .msg[data-id="' + summaryId + '"]').getByRole("button", { name: "Confirm" });
    await confirm.click();
    await page.locator("#mine .objective", { hasText: "Make our support replies feel personal" }).waitFor({ timeout: DEADLINE });
    // The person's click is in the log as they saw it, and the old buttons no longer act.
    await page.locator("#log .msg.person", { hasText: "Confirm" }).waitFor({ timeout: DEADLINE });
    assert(await confirm.isDisabled(), "an answered question's buttons are disabled");
  } finally {
    await server.stop();
  }
});

scenario("a reload in the middle of a dialog shows the conversation and carries on", async (browser) => {
  const server = await startServer(freshDb());
  try {
    const page = await openPage(browser, server.url);
    await say(page, "draft");
    await coachSays(page, /what do you want to achieve/);
    await say(page, "Ship calmer releases");
    await coachSays(page, /why does that matter/);
    await page.reload();
    const text = await coachSays(page, /why does that matter/);
    assert(text.length > 0, "the pending question is shown again after the reload");
    assert(await page.locator("#log .msg.person", { hasText: "Ship calmer releases" }).count() === 1, "my earlier answer is still there");
    await say(page, "Our on-call people are tired");
    await coachSays(page, /how will you know/);
  } finally {
    await server.stop();
  }
});

scenario("a message logged elsewhere reaches the open page through its waiting long poll", async (browser) => {
  const server = await startServer(freshDb());
  try {
    const page = await openPage(browser, server.url);
    const polls = [];
    page.on("request", (request) => {
      if (request.method() === "GET" && request.url().includes("/web/api/messages")) polls.push(request.url());
    });
    await page.locator("#log-empty").waitFor({ timeout: DEADLINE });
    // Another client (a second tab, say) speaks; this page must hear of it without a reload.
    const response = await fetch(server.url + "/web/api/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "help", client_id: "e2e-elsewhere" }),
    });
    assert(response.status === 202, "the other client's message is accepted");
    await page.locator("#log .msg.person", { hasText: "help" }).waitFor({ timeout: DEADLINE });
    await coachSays(page, /draft/);
    // Only the very first load asks with wait=0 (to show an empty log at once); the rest wait.
    assert(polls.some((url) => /[?&]wait=25(&|$)/.test(url)), "the page waits with a long poll: " + polls.join(" "));
    assert(polls.every((url) => /[?&]wait=(0|25)(&|$)/.test(url)), "no request without a wait: " + polls.join(" "));
    assert(page.problems.length === 0, "no script errors: " + page.problems.join("; "));
  } finally {
    await server.stop();
  }
});

scenario("with demo data: charts have a point per week, a check-in moves a progress bar, screenshots", async (browser) => {
  const db = freshDb();
  await run(["demo-data", "--db", db]);
  const server = await startServer(db);
  try {
    const page = await openPage(browser, server.url);
    const firstChart = page.locator("#mine svg.chart").first();
    await firstChart.waitFor({ timeout: DEADLINE });
    assert(await firstChart.getAttribute("data-points") === "12", "the first chart has 12 weekly points");
    assert(await firstChart.locator("circle.point-progress").count() === 12, "12 progress points are drawn");
    assert(await firstChart.locator("circle.point-confidence").count() === 12, "12 confidence points are drawn");
    await page.locator("#team .risk").first().waitFor({ timeout: DEADLINE });
    await page.locator("#team svg.chart").last().waitFor({ timeout: DEADLINE });
    // The manager's panes: this week's digest with its headline, and the person's schedules.
    await page.locator("#digest .digest").waitFor({ timeout: DEADLINE });
    assert((await page.locator("#digest h4").count()) === 3, "the digest lists the demo team's 3 objectives");
    await page.locator("#schedules ul.schedules li").first().waitFor({ timeout: DEADLINE });
    assert((await page.locator("#schedules").textContent()).includes("check-in nudge"), "my weekly check-in nudge is listed");
    fs.mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: path.join(outDir, "web-dashboard.png"), fullPage: true });

    const firstBar = page.locator("#mine .kr").first().getByRole("progressbar");
    const before = Number(await firstBar.getAttribute("aria-valuenow"));
    await say(page, "checkin");
    await coachSays(page, /where does it stand now/);
    await say(page, "60%");
    await coachSays(page, /how confident/);
    await page.locator("#log .msg.coach").last().getByRole("button", { name: "9", exact: true }).click();
    await coachSays(page, /where does it stand now/);
    await say(page, "6 days");
    await coachSays(page, /how confident/);
    await say(page, "7");
    await coachSays(page, /done\?/);
    await page.locator("#log .msg.coach").last().getByRole("button", { name: "Done", exact: true }).click();
    await coachSays(page, /how confident/);
    await say(page, "8");
    await coachSays(page, /what moved things/);
    await say(page, "The new welcome email");
    await coachSays(page, /in your way/);
    await say(page, "Nothing");
    await coachSays(page, /focus on next week/);
    await say(page, "Customer interviews");
    await coachSays(page, /shall i save it/);
    await page.locator("#log .msg.coach").last().getByRole("button", { name: "Confirm" }).click();
    await page.waitForFunction((old) => {
      const bar = document.querySelector("#mine .kr [role=progressbar]");
      return bar && Number(bar.getAttribute("aria-valuenow")) > old;
    }, before, { timeout: DEADLINE });
    const after = Number(await firstBar.getAttribute("aria-valuenow"));
    assert(after === 100 && before < 100, "the bar moved from " + before + " to 100 (got " + after + ")");
    // The first screen as people see it after a check-in (the README's picture).
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(outDir, "web-overview.png") });

    // 360 px wide: nothing overflows sideways, and the message box is still there to type in.
    const narrow = await openPage(browser, server.url, { width: 360, height: 740 });
    await narrow.locator("#mine svg.chart").first().waitFor({ timeout: DEADLINE });
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, "no sideways scrolling at 360 px (overflow " + overflow + " px)");
    assert(await narrow.getByLabel("Your message").isVisible(), "the message box is visible at 360 px");
    await narrow.screenshot({ path: path.join(outDir, "web-dashboard-360.png"), fullPage: true });
    assert(page.problems.length === 0, "no script errors: " + page.problems.join("; "));
  } finally {
    await server.stop();
  }
});

// ---- runner ------------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
});
let failed = 0;
try {
  for (const { name, body } of scenarios) {
    try {
      await body(browser);
      console.log("ok - " + name);
    } catch (error) {
      failed += 1;
      console.log("not ok - " + name + "\n  " + String(error.stack || error).split("\n").join("\n  "));
    }
  }
} finally {
  await browser.close();
  for (const child of children) child.kill("SIGKILL");
  fs.rmSync(scratch, { recursive: true, force: true });
}
console.log(failed ? failed + " of " + scenarios.length + " scenarios failed" : "all " + scenarios.length + " scenarios passed; screenshots in " + outDir);
process.exit(failed ? 1 : 0);
