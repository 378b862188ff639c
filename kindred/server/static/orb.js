// The presence: a soft orb. Its colour follows how the user seems to feel (felt) blended with the tone
// Kindred chose; its halo is her own mood; its breathing follows arousal and quickens while she speaks.
// Decoration only (aria-hidden); everything it shows is also said in text (the "why" under each reply).
const orb = () => document.getElementById("orb");
const TONE_HUE = { comforting: 265, calm: 200, curious: 170, playful: 45, celebrating: 35, serious: 220, neutral: 25 };
const MOOD_HUE = { warm: 20, curious: 160, playful: 45, tender: 330, calm: 200, steady: 210, tired: 240 };
const now = { userHue: 25, toneHue: 25, speed: 4 };

function clamp(x, lo, hi) { return Math.max(lo, Math.min(hi, Number(x) || 0)); }

function paint() {
  const node = orb();
  if (!node) return;
  // Mix on the colour circle: the user's feeling weighs 40%, her chosen answer to it 60%.
  const a = (now.userHue * Math.PI) / 180;
  const b = (now.toneHue * Math.PI) / 180;
  const hue = (Math.atan2(0.4 * Math.sin(a) + 0.6 * Math.sin(b), 0.4 * Math.cos(a) + 0.6 * Math.cos(b)) * 180) / Math.PI;
  node.style.setProperty("--orb-hue", String(Math.round((hue + 360) % 360)));
  node.style.setProperty("--orb-speed", `${now.speed.toFixed(2)}s`);
}

export function setMood(valence, arousal) {
  const v = clamp(valence, -1, 1);
  const ar = clamp(arousal, -1, 1);
  now.userHue = Math.round(215 - (v + 1) * 95);  // blue (low) → warm (bright)
  now.speed = 6 - (ar + 1) * 2;                  // calmer when arousal is low
  orb()?.setAttribute("data-felt", v < -0.2 ? "low" : v > 0.2 ? "bright" : "even");
  paint();
}

export function setTone(tone, herMood) {
  const node = orb();
  if (!node) return;
  now.toneHue = TONE_HUE[tone] ?? TONE_HUE.neutral;
  node.dataset.tone = tone || "neutral";
  node.dataset.herMood = herMood || "";
  node.style.setProperty("--her-hue", String(MOOD_HUE[herMood] ?? 20));
  paint();
}

export function setSpeaking(speaking) {
  orb()?.classList.toggle("speaking", Boolean(speaking));
}

export function setListening(listening) {
  orb()?.classList.toggle("listening", Boolean(listening));
}
