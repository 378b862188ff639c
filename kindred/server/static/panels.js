// "What I've learned about you": learned preferences (editable, forgettable) and check-ins (opt-in, cancel).
import { openKeys, setKeysContext, wireKeys } from "./keys.js";
import { request } from "./net.js";

const $ = (id) => document.getElementById(id);
let ctx = null;  // { t, announce }

function fillSelect(select, choices, value) {
  select.replaceChildren();
  for (const choice of choices) {
    const option = document.createElement("option");
    option.value = choice;
    option.textContent = choice.replaceAll("_", " ");
    option.selected = choice === value;
    select.append(option);
  }
  if (!value && !choices.includes("")) {
    const none = document.createElement("option");
    none.value = "";
    none.textContent = "—";
    none.selected = true;
    select.prepend(none);
  }
}

function removable(text, onRemove) {
  const item = document.createElement("li");
  item.append(text);
  if (onRemove) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary item-actions";
    button.textContent = ctx.t.remove;
    button.setAttribute("aria-label", `${ctx.t.remove}: ${text}`);
    button.addEventListener("click", onRemove);
    item.append(button);
  }
  return item;
}

function showLearned(data) {
  const list = $("learned-list");
  list.replaceChildren();
  const prefs = data.preferences;
  const removals = new Map();
  for (const field of data.list_fields) {
    for (const value of prefs[field] || []) removals.set(value, () => edit(field, `-${value}`));
  }
  for (const text of data.lines) {
    const match = [...removals.keys()].find((value) => text.includes(`"${value}"`) || text.includes(value));
    list.append(removable(text, match ? removals.get(match) : null));
  }
  if (!data.lines.length) list.append(removable(ctx.t.learnedEmpty, null));
  for (const select of document.querySelectorAll("#learned-form select")) {
    fillSelect(select, data.choices[select.dataset.field], prefs[select.dataset.field]);
  }
  $("pref-address_as").value = prefs.address_as || "";
}

async function edit(field, value) {
  showLearned(await request("/api/learned", { method: "POST", body: { field, value } }));
  ctx.announce(ctx.t.learnedSaved);
}

async function save(event) {
  event.preventDefault();
  let data = null;
  for (const node of document.querySelectorAll("#learned-form [data-field]")) {
    if (node.value === "" && node.tagName === "SELECT") continue;
    data = await request("/api/learned", { method: "POST", body: { field: node.dataset.field, value: node.value } });
  }
  if (data) showLearned(data);
  ctx.announce(ctx.t.learnedSaved);
}

export async function forgetLearned() {
  showLearned(await request("/api/learned", { method: "DELETE" }));
  ctx.announce(ctx.t.learnedForgotten);
}

function showCheckins(data) {
  $("checkins-enabled").checked = data.enabled;
  const list = $("checkins-list");
  list.replaceChildren();
  for (const checkin of data.items) {
    const when = new Date(checkin.due_at).toLocaleString(document.documentElement.lang === "ko" ? "ko-KR" : "en-US");
    list.append(removable(`${when}: ${checkin.message}`, async () => {
      showCheckins(await request(`/api/checkins/${checkin.id}`, { method: "DELETE" }));
      ctx.announce(ctx.t.checkinCancelled);
    }));
    list.lastChild.querySelector("button").textContent = ctx.t.checkinCancel;
  }
  if (!data.items.length) list.append(removable(ctx.t.checkinsEmpty, null));
}

export async function setCheckins(enabled) {
  showCheckins(await request("/api/checkins/settings", { method: "POST", body: { enabled } }));
}

export async function openLearned() {
  const [learned, checkins] = await Promise.all([request("/api/learned"), request("/api/checkins")]);
  showLearned(learned);
  showCheckins(checkins);
  await openKeys();
  $("learned-panel").hidden = false;
  $("learned-open").setAttribute("aria-expanded", "true");
  $("learned-title").focus();
}

export function closeLearned() {
  $("learned-panel").hidden = true;
  $("learned-open").setAttribute("aria-expanded", "false");
  $("learned-open").focus();
}

export function wirePanels(context) {
  ctx = context;
  wireKeys(context);
  $("learned-open").addEventListener("click", () => openLearned());
  $("learned-close").addEventListener("click", closeLearned);
  $("learned-form").addEventListener("submit", save);
  $("learned-forget").addEventListener("click", () => forgetLearned());
  $("checkins-enabled").addEventListener("change", (event) => setCheckins(event.target.checked));
}

export function setContext(context) { ctx = context; setKeysContext(context); }
