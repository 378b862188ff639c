// The real-browser suite: Debian chromium driven by playwright-core against a running Kindred server.
// Usage: BASE_URL=http://127.0.0.1:PORT ARTIFACTS_DIR=artifacts/browser node tests/browser/run.mjs
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { audit } from "./audit.mjs";

const BASE = process.env.BASE_URL || "http://127.0.0.1:8765";
const ARTIFACTS = process.env.ARTIFACTS_DIR || "artifacts/browser";
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const PASSWORD = "a quiet evening";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const report = { audits: [], checks: [], screenshots: [] };
mkdirSync(ARTIFACTS, { recursive: true });

async function shot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  report.screenshots.push(path);
}

async function check(name, body) {
  await body();
  report.checks.push(name);
}

async function openPage(browser, options = {}) {
  const context = await browser.newContext({ bypassCSP: true, locale: "en-US", viewport: { width: 900, height: 900 },
    ...options });
  const page = await context.newPage();
  page.on("pageerror", (error) => { throw new Error(`page error: ${error.message}`); });
  await page.goto(BASE);
  await page.waitForSelector("body[data-ready=true]");
  return { context, page };
}

async function signUp(page, name) {
  await page.fill("#login-name", name);
  await page.fill("#login-password", PASSWORD);
  await page.click("#sign-up");
  await page.waitForSelector("#chat-view:not([hidden])");
}

async function sayAndWait(page, text) {
  const before = await page.locator(".message.assistant .feedback").count();
  await page.focus("#message");
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  await page.locator(".message.assistant .feedback").nth(before).waitFor();
  return page.locator(".message.assistant").last().locator(".text").innerText();
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
try {
  await check("axe finds a known violation (self-test)", async () => {
    const probe = await (await browser.newContext({ bypassCSP: true })).newPage();
    await probe.setContent('<html lang="en"><title>t</title><main><img src="x.png"><button></button></main></html>');
    await assert.rejects(audit(probe, "self-test", { audits: [] }), /serious\/critical/);
  });
  const { page: alice } = await openPage(browser, { timezoneId: "Asia/Seoul" });
  await check("login page audits clean", async () => {
    await alice.waitForSelector("#login-view:not([hidden])");
    await audit(alice, "login (en)", report);
    await shot(alice, "01-login-en");
  });
  await check("wrong password shows an error", async () => {
    await alice.fill("#login-name", "nobody");
    await alice.fill("#login-password", "wrong password");
    await alice.click("#sign-in");
    await alice.waitForFunction(() => document.getElementById("login-error").textContent.length > 0);
    await audit(alice, "login error (en)", report);
  });
  await check("sign up and text conversation by keyboard", async () => {
    await signUp(alice, "alice");
    await audit(alice, "empty conversation (en)", report);
    const reply = await sayAndWait(alice, "my secret is the blue door");
    assert.ok(reply.length > 0);  // the scripted reply, or a safety reply: either is announced
    assert.match(reply, /an AI, not a person/);  // the first reply of a conversation says she is an AI
    await alice.waitForFunction((text) => document.getElementById("announcer").textContent.includes(text), reply);
    await shot(alice, "02-conversation-en");
    await audit(alice, "conversation (en)", report);
  });
  await check("she says she is an AI once per conversation, and answers 'are you human?' by policy", async () => {
    const second = await sayAndWait(alice, "and the bus was late again");
    assert.doesNotMatch(second, /an AI, not a person/);
    const answer = await sayAndWait(alice, "are you human?");
    assert.match(answer, /^No, I'm not a human/);
  });
  await check("the page tells the server the browser's time zone", async () => {
    const { timezone } = await alice.evaluate(() => fetch("/api/checkins").then((r) => r.json()));
    assert.equal(timezone, "Asia/Seoul");  // check-ins and quiet hours now follow the browser's clock
  });
  await check("the orb follows the chosen tone and each reply explains it", async () => {
    const tone = await alice.getAttribute("#orb", "data-tone");
    assert.ok(tone && tone.length > 0, "orb has no tone");
    const why = alice.locator(".message.assistant").last().locator("details.why");
    await why.locator("summary").focus();
    await alice.keyboard.press("Enter");
    assert.equal(await why.getAttribute("open"), "");
    assert.match(await why.innerText(), /Tone/);
    await audit(alice, "conversation, why opened (en)", report);
  });
  await check("what I've learned: edit, list, check-ins opt-in, an API key made once and revoked", async () => {
    await alice.click("#learned-open");
    await alice.waitForSelector("#learned-panel:not([hidden])");
    assert.equal(await alice.evaluate(() => document.activeElement.id), "learned-title");
    await alice.selectOption("#pref-reply_length", "short");
    await alice.fill("#pref-address_as", "Captain");
    await alice.click("#learned-form button[type=submit]");
    await alice.waitForFunction(() => document.getElementById("learned-list").textContent.includes("short replies"));
    assert.match(await alice.innerText("#learned-list"), /Captain/);
    await alice.check("#checkins-enabled");
    await alice.waitForFunction(() => fetch("/api/checkins").then((r) => r.json()).then((d) => d.enabled));
    await alice.fill("#keys-label", "open-webui");
    await alice.click("#keys-form button[type=submit]");
    await alice.waitForSelector("#keys-new:not([hidden])");
    const key = await alice.innerText("#keys-value");
    assert.match(key, /^kindred-\S{20,}$/);
    assert.match(await alice.innerText("#keys-where"), /\/v1 .* kindred/);
    assert.match(await alice.innerText("#keys-list"), /open-webui/);
    const models = await alice.evaluate((k) => fetch("/v1/models", { headers: { authorization: `Bearer ${k}` } })
      .then((r) => r.json()), key);
    assert.equal(models.data[0].id, "kindred");
    await shot(alice, "03b-learned-en");
    await audit(alice, "learned panel (en)", report);
    await alice.click("#keys-list button");
    await alice.waitForFunction(() => document.getElementById("keys-list").textContent.includes("No keys yet"));
    const refused = await alice.evaluate((k) => fetch("/v1/models", { headers: { authorization: `Bearer ${k}` } })
      .then((r) => r.status), key);
    assert.equal(refused, 401);
    await alice.keyboard.press("Escape");
    assert.equal(await alice.evaluate(() => document.activeElement.id), "learned-open");
  });
  await check("skip link focuses the message box", async () => {
    await alice.reload();
    await alice.waitForSelector("body[data-ready=true]");
    await alice.keyboard.press("Tab");
    assert.equal(await alice.evaluate(() => document.activeElement.className), "skip-link");
    await alice.keyboard.press("Enter");
    assert.equal(await alice.evaluate(() => document.activeElement.id), "message");
  });
  await check("thumbs up is stored", async () => {
    const thumb = alice.locator(".message.assistant").last().locator(".thumb-up");
    await thumb.focus();
    await alice.keyboard.press("Enter");
    await alice.waitForFunction(() => document.querySelector(".message.assistant:last-child .thumb-up")
      ?.getAttribute("aria-pressed") === "true");
    const history = await alice.evaluate(() => fetch("/api/history").then((r) => r.json()));
    assert.equal(history.turns.at(-1).rating, "up");
  });
  await check("Escape stops a reply", async () => {
    await alice.focus("#message");
    await alice.keyboard.type("tell me a long story");
    await alice.keyboard.press("Enter");
    await alice.waitForSelector("#stop:not([hidden])");
    await alice.keyboard.press("Escape");
    await alice.waitForFunction(() => document.getElementById("stop").hidden);
  });
  await check("voice controls are present, explained and disabled", async () => {
    for (const id of ["mic", "hands-free", "camera"]) {
      assert.equal(await alice.getAttribute(`#${id}`, "aria-disabled"), "true");
    }
    await alice.focus("#mic");  // still focusable, so keyboard and screen-reader users find the reason
    await alice.keyboard.press("Enter");
    await alice.waitForFunction(() => document.getElementById("announcer").textContent.includes("speech module"));
  });
  await check("memory panel lists what was said", async () => {
    await alice.click("#memory-open");
    await alice.waitForSelector("#memory-panel:not([hidden])");
    assert.equal(await alice.evaluate(() => document.activeElement.id), "memory-title");
    assert.match(await alice.innerText("#memory-list"), /blue door/);
    await shot(alice, "03-memory-en");
    await audit(alice, "memory panel (en)", report);
    await alice.keyboard.press("Escape");
    assert.equal(await alice.evaluate(() => document.activeElement.id), "memory-open");
  });
  await check("memory panel: edit and forget a memory by keyboard", async () => {
    const active = () => alice.evaluate(() => document.activeElement.getAttribute("aria-label") || "");
    const announced = (text) => alice.waitForFunction((t) => document.getElementById("announcer").textContent.includes(t),
      text);
    await alice.keyboard.press("Enter");  // focus is on "What I remember"
    await alice.waitForSelector("#memory-panel:not([hidden])");
    assert.equal(await alice.isVisible("#memory-forget"), false, "the placeholder button is gone when editing works");
    await alice.locator('#memory-list button[aria-label^="Edit: "][aria-label*="blue door"]').first().focus();
    await alice.keyboard.press("Enter");
    await alice.waitForSelector("#memory-list .memory-edit input");
    assert.equal(await alice.evaluate(() => document.activeElement.labels[0].textContent), "Change what I remember");
    await audit(alice, "memory panel, editing (en)", report);
    await alice.keyboard.press("Escape");  // cancels the edit, the panel stays open
    await announced("Nothing changed.");
    assert.equal(await alice.isVisible("#memory-panel"), true);
    assert.match(await active(), /^Edit: .*blue door/);
    await alice.keyboard.press("Enter");
    await alice.waitForSelector("#memory-list .memory-edit input");
    await alice.keyboard.press("Control+A");
    await alice.keyboard.type("my secret is the red door");
    await alice.keyboard.press("Enter");
    await announced("red door");
    assert.match(await active(), /^Edit: my secret is the red door$/);
    assert.doesNotMatch(await alice.innerText("#memory-list"), /blue door/);
    await alice.keyboard.press("Tab");
    assert.match(await active(), /^Forget: my secret is the red door$/);
    await alice.keyboard.press("Enter");
    await announced("Forget this for good?");
    assert.match(await active(), /^Yes, forget it: my secret is the red door$/);
    await audit(alice, "memory panel, confirming forget (en)", report);
    await alice.keyboard.press("Enter");
    await announced("Forgotten:");
    assert.doesNotMatch(await alice.innerText("#memory-list"), /red door/);
    assert.notEqual(await alice.evaluate(() => document.activeElement.tagName), "BODY");
    const listed = await alice.evaluate(() => fetch("/api/memories").then((r) => r.text()));
    assert.ok(!listed.includes("red door") && !listed.includes("blue door"), "the memory was not forgotten");
    await shot(alice, "03b-memory-forgotten-en");
    await audit(alice, "memory panel, after forget (en)", report);
    await alice.keyboard.press("Escape");
    assert.equal(await alice.evaluate(() => document.activeElement.id), "memory-open");
  });
  // After the memory checks: starting a new conversation summarises the last one into a memory of its own.
  await check("New conversation: the next message starts one (she says she is an AI again), by keyboard", async () => {
    const before = await alice.locator(".message").count();
    await alice.focus("#new-conversation");
    await alice.keyboard.press("Enter");
    await alice.waitForFunction(() => document.getElementById("announcer").textContent.includes("new conversation"));
    assert.equal(await alice.evaluate(() => document.activeElement.id), "message");
    assert.equal(await alice.locator(".new-conversation").count(), 1);
    const first = await sayAndWait(alice, "hello again");
    assert.match(first, /an AI, not a person/);  // only a conversation's first reply says it: a new one began
    assert.ok(await alice.locator(".message").count() >= before + 2);  // the earlier messages are still shown
    assert.doesNotMatch(await sayAndWait(alice, "and the bus was late"), /an AI, not a person/);
    await audit(alice, "new conversation (en)", report);
  });
  await check("simple mode: large text, high contrast", async () => {
    await alice.click("#simple-mode");
    assert.equal(await alice.getAttribute("#simple-mode", "aria-pressed"), "true");
    const size = await alice.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(size >= 24, `simple mode font size ${size}`);
    await shot(alice, "04-simple-en");
    await audit(alice, "conversation, simple mode", report);
    await alice.click("#memory-open");
    await audit(alice, "memory panel, simple mode", report);
    await alice.click("#memory-close");
    await alice.click("#learned-open");
    await audit(alice, "learned panel, simple mode", report);
    await alice.click("#learned-close");
    await alice.click("#simple-mode");
  });
  await check("Korean interface and conversation", async () => {
    await alice.click("#language");
    assert.equal(await alice.evaluate(() => document.documentElement.lang), "ko");
    assert.equal(await alice.innerText("#send"), "보내기");
    const reply = await sayAndWait(alice, "요즘 무슨 책 읽어?");
    assert.ok(reply.length > 0);
    await shot(alice, "05-conversation-ko");
    await audit(alice, "conversation (ko)", report);
    await alice.click("#memory-open");
    await audit(alice, "memory panel (ko)", report);
    await alice.click("#learned-open");
    await audit(alice, "learned panel (ko)", report);
    await alice.click("#simple-mode");
    await audit(alice, "conversation, simple mode (ko)", report);
    await shot(alice, "06-simple-ko");
  });

  const { page: bob } = await openPage(browser, { locale: "ko-KR" });
  await check("Korean login page", async () => {
    assert.equal(await bob.evaluate(() => document.documentElement.lang), "ko");
    await audit(bob, "login (ko)", report);
    await shot(bob, "07-login-ko");
  });
  await check("per-user isolation in the browser", async () => {
    await signUp(bob, "bob");
    assert.equal(await bob.locator(".message").count(), 0);
    const seen = await bob.evaluate(async () => {
      const texts = await Promise.all(["/api/history", "/api/memories", "/api/export", "/api/history?user=alice"]
        .map((path) => fetch(path).then((r) => r.text())));
      const socketUser = await new Promise((resolve) => {
        const socket = new WebSocket(`ws://${location.host}/api/conversation`);
        socket.onmessage = (m) => { resolve(JSON.parse(m.data).user); socket.close(); };
        socket.onerror = () => resolve("error");
      });
      return { texts, socketUser };
    });
    assert.ok(seen.texts.every((t) => !t.includes("blue door")), "bob saw alice's words");
    assert.equal(seen.socketUser, "bob");
    await bob.click("#memory-open");
    assert.doesNotMatch(await bob.innerText("#memory-list"), /blue door/);
    await bob.click("#learned-open");
    await bob.waitForSelector("#learned-panel:not([hidden])");
    assert.doesNotMatch(await bob.innerText("#learned-panel"), /Captain/);
    const learned = await bob.evaluate(() => fetch("/api/learned").then((r) => r.text()));
    assert.ok(!learned.includes("Captain"), "bob saw what was learned about alice");
  });
  await check("sign in again restores one's own history", async () => {
    const { page: again } = await openPage(browser);
    await again.fill("#login-name", "alice");
    await again.fill("#login-password", PASSWORD);
    await again.keyboard.press("Enter");
    await again.waitForSelector("#chat-view:not([hidden])");
    await again.waitForFunction(() => document.getElementById("conversation").textContent.includes("blue door"));
    await again.click("#sign-out");
    await again.waitForSelector("#login-view:not([hidden])");
  });
  await check("reduced motion stops the orb", async () => {
    const { page: calm } = await openPage(browser, { reducedMotion: "reduce" });
    await signUp(calm, "carol");
    const animation = await calm.evaluate(() => getComputedStyle(document.getElementById("orb")).animationName);
    assert.equal(animation, "none");
    assert.equal(await calm.getAttribute("#orb", "aria-hidden"), "true");
    await audit(calm, "conversation, reduced motion", report);
  });
  await check("narrow screen", async () => {
    const { page: phone } = await openPage(browser, { viewport: { width: 375, height: 740 } });
    await audit(phone, "login, narrow screen", report);
    await shot(phone, "08-login-narrow");
  });
} finally {
  await browser.close();
  writeFileSync(join(ARTIFACTS, "report.json"), JSON.stringify(report, null, 1));
}
console.log(JSON.stringify({ checks: report.checks.length, audits: report.audits.map((a) => [a.name, a.violations]) }));
