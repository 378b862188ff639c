// The page survives the replica behind it: a person talks, the replica is killed, the page reconnects
// through the load balancer to another replica, shows the same conversation and carries on.
// Usage: BASE_URL=http://127.0.0.1:PROXY REPLICA_PID=<process group of the first replica> node failover.mjs
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const BASE = process.env.BASE_URL;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

async function sayAndWait(page, text) {
  const before = await page.locator(".message.assistant .feedback").count();
  await page.focus("#message");
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  await page.locator(".message.assistant .feedback").nth(before).waitFor();
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
try {
  const page = await (await browser.newContext({ locale: "en-US" })).newPage();
  page.setDefaultTimeout(180_000);  // the tiny model on a busy 2-core machine: a cold prompt takes a while
  page.on("pageerror", (error) => { throw new Error(`page error: ${error.message}`); });
  await page.goto(BASE);
  await page.waitForSelector("body[data-ready=true]");
  await page.fill("#login-name", "ria");
  await page.fill("#login-password", "a quiet evening");
  await page.click("#sign-up");
  await page.waitForSelector("#chat-view:not([hidden])");
  await sayAndWait(page, "My cat is called Miso.");

  process.kill(-Number(process.env.REPLICA_PID), "SIGKILL");  // the replica dies; the page is not told why
  await page.waitForFunction(() => document.querySelector("#status").dataset.i18n === "offline");
  await page.waitForFunction(() => document.querySelector("#status").dataset.i18n === "ready");

  const said = await page.locator(".message.user .text").allInnerTexts();
  assert.deepEqual(said, ["My cat is called Miso."], "the history came back from the other replica, once");
  await sayAndWait(page, "What does Miso like?");
  assert.equal(await page.locator(".message.assistant .feedback").count(), 2);
  console.log("failover: reconnected to another replica and continued the conversation");
} finally {
  await browser.close();
}
