// "What I remember about you": the memory panel. Each memory can be edited inline or forgotten (with a confirmation).
import { request } from "./net.js";

const $ = (id) => document.getElementById(id);
let strings = null;

function announce(text) {
  const region = $("announcer");
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);  // a change, even for the same words
}

function button(label, aria, onClick, className = "secondary") {
  const node = document.createElement("button");
  node.type = "button";
  node.className = className;
  node.textContent = label;
  if (aria) node.setAttribute("aria-label", aria);
  node.addEventListener("click", onClick);
  return node;
}

function onEscape(node, cancel) {
  node.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();  // Escape here cancels the edit, it does not close the panel
    cancel();
  });
}

function whenText(memory) {
  return new Date(memory.when).toLocaleDateString(document.documentElement.lang === "ko" ? "ko-KR" : "en-US");
}

function showRow(item, memory, canEdit) {
  const t = strings;
  item.replaceChildren();
  const when = document.createElement("span");
  when.className = "when";
  when.textContent = whenText(memory);
  const text = document.createElement("span");
  text.className = "memory-text";
  text.textContent = memory.text;
  item.append(when, " ", text);
  if (!canEdit) return;
  const actions = document.createElement("span");
  actions.className = "item-actions";
  actions.append(
    button(t.memoryEdit, `${t.memoryEdit}: ${memory.text}`, () => startEdit(item, memory)),
    " ",
    button(t.memoryForget, `${t.memoryForget}: ${memory.text}`, () => askForget(item, memory)),
  );
  item.append(actions);
}

function focusAction(item, index) {
  item.querySelectorAll(".item-actions button")[index]?.focus();
}

function startEdit(item, memory) {
  const t = strings;
  const form = document.createElement("form");
  form.className = "memory-edit";
  const fieldId = `memory-edit-${memory.id}`;
  const label = document.createElement("label");
  label.htmlFor = fieldId;
  label.textContent = t.memoryEditLabel;
  const input = document.createElement("input");
  input.type = "text";
  input.id = fieldId;
  input.value = memory.text;
  input.maxLength = 2000;
  input.required = true;
  const cancel = () => { showRow(item, memory, true); focusAction(item, 0); announce(t.memoryEditCancelled); };
  const row = document.createElement("div");
  row.className = "row";
  const save = button(t.memorySave, null, () => {}, "primary");
  save.type = "submit";
  row.append(save, button(t.memoryCancel, null, cancel));
  form.append(label, input, row);
  onEscape(form, cancel);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { announce(t.memoryEditEmpty); input.focus(); return; }
    try {
      const data = await request(`/api/memories/${memory.id}`, { method: "PATCH", body: { text } });
      Object.assign(memory, data.item);
      showRow(item, memory, true);
      focusAction(item, 0);
      announce(`${t.memorySaved} ${memory.text}`);
    } catch (error) {
      announce(`${t.memoryFailed} ${error.message}`);
      input.focus();
    }
  });
  item.replaceChildren(form);
  input.focus();
  input.select();
}

function askForget(item, memory) {
  const t = strings;
  const question = `${t.memoryForgetAsk} “${memory.text}”`;
  const box = document.createElement("div");
  box.className = "memory-confirm";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", question);
  const text = document.createElement("p");
  text.textContent = question;
  const keep = () => { showRow(item, memory, true); focusAction(item, 1); announce(t.memoryKept); };
  const row = document.createElement("div");
  row.className = "row";
  const yes = button(t.memoryForgetYes, `${t.memoryForgetYes}: ${memory.text}`, async () => {
    try {
      await request(`/api/memories/${memory.id}`, { method: "DELETE" });
    } catch (error) {
      announce(`${t.memoryFailed} ${error.message}`);
      return;
    }
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    if (!$("memory-list").children.length) showEmpty();
    const target = next?.querySelector(".item-actions button");
    if (target) target.focus(); else $("memory-title").focus();
    announce(`${t.memoryForgotten} ${memory.text}`);
  }, "primary");
  row.append(yes, button(t.memoryKeep, null, keep));
  box.append(text, row);
  onEscape(box, keep);
  item.replaceChildren(box);
  yes.focus();
  announce(question);
}

function showEmpty() {
  const item = document.createElement("li");
  item.textContent = strings.memoryEmpty;
  $("memory-list").append(item);
}

export async function openMemories(t) {
  strings = t;
  const panel = $("memory-panel");
  const data = await request("/api/memories");
  const list = $("memory-list");
  list.replaceChildren();
  for (const memory of data.items) {
    const item = document.createElement("li");
    item.dataset.memoryId = memory.id;
    showRow(item, memory, data.can_edit);
    list.append(item);
  }
  if (!data.items.length) showEmpty();
  $("memory-note").textContent = data.can_edit ? t.memoryNoteEdit : t.memoryNote;
  $("memory-forget").hidden = Boolean(data.can_edit);
  $("memory-forget").setAttribute("aria-disabled", String(!data.can_edit));
  panel.hidden = false;
  $("memory-open").setAttribute("aria-expanded", "true");
  $("memory-title").focus();
}

export function closeMemories() {
  $("memory-panel").hidden = true;
  $("memory-open").setAttribute("aria-expanded", "false");
  $("memory-open").focus();
}
