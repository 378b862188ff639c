// "What I remember about you": the memory panel.
import { request } from "./net.js";

const $ = (id) => document.getElementById(id);

export async function openMemories(t) {
  const panel = $("memory-panel");
  const data = await request("/api/memories");
  const list = $("memory-list");
  list.replaceChildren();
  for (const memory of data.items) {
    const item = document.createElement("li");
    const when = document.createElement("span");
    when.className = "when";
    when.textContent = new Date(memory.when).toLocaleDateString(document.documentElement.lang === "ko" ? "ko-KR" : "en-US");
    const text = document.createElement("span");
    text.textContent = memory.text;
    item.append(when, " ", text);
    list.append(item);
  }
  if (!data.items.length) {
    const item = document.createElement("li");
    item.textContent = t.memoryEmpty;
    list.append(item);
  }
  $("memory-note").textContent = t.memoryNote;
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
