// The presence: a soft orb whose colour follows the mood and which breathes while Kindred speaks.
// It is decoration only (aria-hidden); everything it shows is also said in text.
const orb = () => document.getElementById("orb");

export function setMood(valence, arousal) {
  const node = orb();
  if (!node) return;
  const v = Math.max(-1, Math.min(1, Number(valence) || 0));
  const a = Math.max(-1, Math.min(1, Number(arousal) || 0));
  node.style.setProperty("--orb-hue", String(Math.round(215 - (v + 1) * 95)));  // blue (low) → warm (bright)
  node.style.setProperty("--orb-speed", `${(6 - (a + 1) * 2).toFixed(2)}s`);      // calmer when arousal is low
}

export function setSpeaking(speaking) {
  orb()?.classList.toggle("speaking", Boolean(speaking));
}
