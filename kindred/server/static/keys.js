// "API keys": keys for OpenAI-compatible apps (Open WebUI, SillyTavern). A new key is shown once, here.
import { request } from "./net.js";

const $ = (id) => document.getElementById(id);
let ctx = null;  // { t, announce }

function when(text) {
  return text ? new Date(text).toLocaleString(document.documentElement.lang === "ko" ? "ko-KR" : "en-US") : ctx.t.keysNever;
}

function showKeys(data) {
  const list = $("keys-list");
  list.replaceChildren();
  for (const key of data.keys) {
    const item = document.createElement("li");
    const name = key.label ? `${key.label} (${key.id})` : key.id;
    item.append(`${name} · ${ctx.t.keysLastUsed} ${when(key.last_used_at)}`);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary item-actions";
    button.textContent = ctx.t.keysRevoke;
    button.setAttribute("aria-label", `${ctx.t.keysRevoke}: ${name}`);
    button.addEventListener("click", async () => {
      await request(`/api/keys/${encodeURIComponent(key.id)}`, { method: "DELETE" });
      $("keys-new").hidden = true;
      showKeys(await request("/api/keys"));
      ctx.announce(ctx.t.keysRevoked);
    });
    item.append(button);
    list.append(item);
  }
  if (!data.keys.length) {
    const none = document.createElement("li");
    none.append(ctx.t.keysEmpty);
    list.append(none);
  }
}

async function make(event) {
  event.preventDefault();
  try {
    const made = await request("/api/keys", { method: "POST", body: { label: $("keys-label").value } });
    showKeys(await request("/api/keys"));  // the list first: once the new key shows, the page is settled
    $("keys-value").textContent = made.key;
    $("keys-where").textContent = `${ctx.t.keysWhere} ${location.origin}/v1 · ${ctx.t.keysModel} kindred`;
    $("keys-new").hidden = false;
    $("keys-label").value = "";
    ctx.announce(ctx.t.keysMade);
  } catch (error) {
    ctx.announce(`${ctx.t.errorPrefix}${error.message} ${error.hint}`);
  }
}

export async function openKeys() {
  $("keys-new").hidden = true;
  showKeys(await request("/api/keys"));
}

export function wireKeys(context) {
  ctx = context;
  $("keys-form").addEventListener("submit", make);
}

export function setKeysContext(context) { ctx = context; }
