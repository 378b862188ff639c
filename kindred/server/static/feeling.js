// Feeling on the page: the orb follows felt and chose events; each reply carries a quiet "why"
// (a details/summary a screen reader reaches as a collapsed button) with the tone, her own mood,
// the reason and anything noticed, such as words and face disagreeing.
import { NAMES } from "./i18n.js";
import { setMood, setTone } from "./orb.js";

const pending = new Map();  // turn_id → chose event, until its reply exists

export function onFelt(event) {
  setMood(event.state_valence, event.state_arousal);
}

export function onChose(event) {
  setTone(event.tone, event.her_mood);
  pending.set(event.turn_id, event);
}

function line(label, text) {
  const p = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = `${label}: `;
  p.append(strong, text);
  return p;
}

export function addWhy(item, turnId, t, lang) {
  const chose = pending.get(turnId);
  pending.delete(turnId);
  if (!chose || item.querySelector(".why")) return;
  const names = NAMES[lang] || NAMES.en;
  const details = document.createElement("details");
  details.className = "why";
  const summary = document.createElement("summary");
  summary.dataset.i18n = "whyTitle";
  summary.textContent = t.whyTitle;
  details.append(summary, line(t.whyTone, names[chose.tone] || chose.tone));
  if (chose.her_mood) details.append(line(t.whyHerMood, names[chose.her_mood] || chose.her_mood));
  if (chose.why) details.append(line("…", chose.why));
  if (chose.noticed?.length) details.append(line(t.whyNoticed, chose.noticed.join("; ")));
  details.dataset.tone = chose.tone;
  item.append(details);
}
