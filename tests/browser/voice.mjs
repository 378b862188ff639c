// Voice and camera in chromium with fake devices: a WAV (made by Kindred's own TTS) is the microphone,
// chromium's fake video is the camera. Usage: BASE_URL=... WAV_PATH=... node tests/browser/voice.mjs
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { audit } from "./audit.mjs";

const BASE = process.env.BASE_URL;
const ARTIFACTS = process.env.ARTIFACTS_DIR || "artifacts/browser";
const WAV = process.env.WAV_PATH;
const SPEECH_MS = Number(process.env.SPEECH_MS || 4000);
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-audio-capture=${WAV}%noloop`,
  "--autoplay-policy=no-user-gesture-required"];
const report = { audits: [], checks: [] };
mkdirSync(ARTIFACTS, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: FLAGS });
try {
  const context = await browser.newContext({ bypassCSP: true, locale: "en-US", viewport: { width: 900, height: 1000 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => { throw new Error(`page error: ${error.message}`); });
  await page.goto(BASE);
  await page.waitForSelector("body[data-ready=true]");
  await page.fill("#login-name", "vera");
  await page.fill("#login-password", "a quiet evening");
  await page.click("#sign-up");
  await page.waitForSelector("#chat-view:not([hidden])");
  assert.equal(await page.getAttribute("#mic", "aria-disabled"), "false");
  assert.equal(await page.getAttribute("#mic", "aria-pressed"), "false");  // off until the user turns it on
  await audit(page, "voice ready (en)", report);

  // Push to talk: press, speak (the fake microphone plays the WAV), press again.
  await page.click("#mic");
  await page.waitForFunction(() => document.getElementById("orb").classList.contains("listening"));
  await page.waitForTimeout(SPEECH_MS);
  await page.click("#mic");
  await page.waitForSelector(".message.user", { timeout: 90000 });
  const said = await page.locator(".message.user").first().innerText();
  assert.match(said.toLowerCase(), /rough day/);
  await page.locator(".message.assistant .feedback").first().waitFor({ timeout: 90000 });
  await page.waitForFunction(() => Number(document.body.dataset.audioChunks || 0) > 0, null, { timeout: 90000 });
  report.checks.push(`voice turn: ${said}`);
  await page.screenshot({ path: join(ARTIFACTS, "10-voice-turn.png"), fullPage: true });
  await audit(page, "after a voice turn (en)", report);

  // The camera: off until pressed; then a frame every few seconds, read by the server.
  assert.equal(await page.getAttribute("#camera", "aria-pressed"), "false");
  await page.click("#camera");
  await page.waitForFunction(() => document.getElementById("seen").textContent.length > 0, null, { timeout: 60000 });
  report.checks.push(`camera: ${await page.innerText("#seen")}`);
  await audit(page, "camera on (en)", report);
  await page.click("#camera");
  assert.equal(await page.getAttribute("#camera", "aria-pressed"), "false");
  await page.click("#simple-mode");
  await audit(page, "voice and camera, simple mode", report);
} finally {
  await browser.close();
  writeFileSync(join(ARTIFACTS, "voice-report.json"), JSON.stringify(report, null, 1));
}
console.log(JSON.stringify(report.checks));
