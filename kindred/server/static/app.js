// The page: sign-in, the conversation over a WebSocket, feedback, panels, voice and camera.
import { initCamera, setCamera } from "./camera.js";
import { addWhy, onChose, onFelt } from "./feeling.js";
import { NAMES, STRINGS, applyLanguage, pickLanguage } from "./i18n.js";
import { openConversation, request } from "./net.js";
import { setSpeaking } from "./orb.js";
import { closeMemories, openMemories } from "./memory.js";
import { closeLearned, openLearned, setCheckins, wirePanels } from "./panels.js";
import { initVoice, playChunk, setHandsFree, stopPlayback, toggleMic } from "./voice.js";

const $ = (id) => document.getElementById(id);
const page = { lang: "en", t: STRINGS.en, session: null, socket: null, reply: null, busy: false, closing: false,
  voiceFirst: false, lastHeard: null, newSession: false, pending: null };

function announce(text) {
  const region = $("announcer");
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);  // a change, even for the same words
}

function setStatus(key) {
  $("status").dataset.i18n = key;
  $("status").textContent = page.t[key];
}

function setBusy(busy) {
  page.busy = busy;
  $("stop").hidden = !busy;
  $("send").setAttribute("aria-disabled", String(busy));
  setSpeaking(busy);
  setStatus(busy ? "thinking" : "ready");
}

// ---- views -------------------------------------------------------------------------------
function show(view) {
  $("login-view").hidden = view !== "login";
  $("chat-view").hidden = view !== "chat";
  $("memory-panel").hidden = true;
  $("learned-panel").hidden = true;
  for (const node of document.querySelectorAll(".needs-user")) node.hidden = view !== "chat" || !page.session?.user;
  if (!page.session?.auth_required) $("sign-out").hidden = true;
}

async function refreshSession() {
  page.session = await request("/api/session");
  if (page.session.user) {
    show("chat");
    await reportTimeZone();  // before connecting: the first look for due check-ins uses it
    await loadHistory();
    connect();
  } else {
    show("login");
    $("sign-up").hidden = !page.session.signup_open;
    $("login-name").focus();
  }
  const { voice, camera } = page.session.capabilities || {};
  for (const id of ["mic", "hands-free", "voice-first"]) $(id).setAttribute("aria-disabled", String(!voice?.available));
  $("camera").setAttribute("aria-disabled", String(!camera?.available));
  setNote("voice-note", voice?.available ? "voiceReady" : "voiceNote");
  setNote("camera-note", camera?.available ? "cameraReady" : "cameraNote");
}

// Check-ins, quiet hours and "tomorrow" follow the person's clock: tell the server the browser's zone.
// It keeps a zone the person chose themselves; a zone it does not know is only a warning here.
async function reportTimeZone() {
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!timezone) return;
  await request("/api/timezone", { method: "POST", body: { timezone } })
    .catch((error) => console.warn("time zone not stored:", error.code, error.message));
}

function setNote(id, key) {
  $(id).dataset.i18n = key;
  $(id).textContent = page.t[key];
}

// ---- sign-in -----------------------------------------------------------------------------
async function signIn(path) {
  const body = { name: $("login-name").value.trim(), password: $("login-password").value };
  $("login-error").textContent = "";
  try {
    await request(path, { method: "POST", body });
    $("login-password").value = "";
    await refreshSession();
    $("message").focus();
  } catch (error) {
    $("login-error").textContent = page.t.errorPrefix + error.message + (error.hint ? ` ${error.hint}` : "");
  }
}

async function signOut() {
  page.closing = true;
  page.socket?.close();
  await request("/api/logout", { method: "POST", body: {} });
  $("conversation").replaceChildren();
  page.closing = false;
  await refreshSession();
}

// ---- conversation ------------------------------------------------------------------------
function connect() {
  if (page.socket?.open || page.socket?.connecting) return;  // one socket: a second would drop the first's turn
  page.socket = openConversation(onEvent, () => {
    page.socket = null;
    if (page.busy && !page.pending?.unsent) setBusy(false);  // an unsent message waits for the next socket
    if (!page.closing && page.session?.user) {
      setStatus("offline");
      reconnect(1500);
    }
  });
}

// The server behind the socket may be gone (a replica restarting, a deploy): a load balancer sends
// the next try to another replica, which has the whole conversation. Keep trying, slower each time.
function reconnect(delay) {
  window.setTimeout(() => refreshSession().catch(() => reconnect(Math.min(delay * 2, 30000))), delay);
}

function addMessage(role, text, turnId, scroll = true) {
  const item = document.createElement("li");
  item.className = `message ${role}`;
  const who = document.createElement("p");
  who.className = "who";
  who.dataset.i18n = role === "user" ? "you" : "kindred";
  who.textContent = page.t[who.dataset.i18n];
  const body = document.createElement("p");
  body.className = "text";
  body.textContent = text;
  item.append(who, body);
  if (turnId) item.dataset.turnId = turnId;
  $("conversation").append(item);
  if (scroll) item.scrollIntoView({ block: "end", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  return item;
}

function addFeedback(item, turnId, rating) {
  const group = document.createElement("div");
  group.className = "feedback";
  group.setAttribute("role", "group");
  group.dataset.i18nLabel = "feedbackGroup";
  group.setAttribute("aria-label", page.t.feedbackGroup);
  for (const [value, key, mark] of [["up", "helpful", "👍"], ["down", "notHelpful", "👎"]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `secondary thumb thumb-${value}`;
    button.setAttribute("aria-pressed", String(rating === value));
    const icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = mark;
    const label = document.createElement("span");
    label.className = "thumb-label";
    label.dataset.i18n = key;
    label.textContent = page.t[key];
    button.append(icon, label);
    button.addEventListener("click", () => rate(group, turnId, value, button));
    group.append(button);
  }
  item.append(group);
}

async function rate(group, turnId, value, button) {
  const next = button.getAttribute("aria-pressed") === "true" ? null : value;
  await request("/api/feedback", { method: "POST", body: { turn_id: turnId, rating: next } });
  for (const other of group.querySelectorAll("button")) other.setAttribute("aria-pressed", "false");
  button.setAttribute("aria-pressed", String(next !== null));
  announce(page.t.thanks);
}

function onEvent(event) {
  switch (event.event) {
    case "ready":
      if (!page.busy) setStatus("ready");  // connected again after "Connection lost. Reconnecting…"
      sayPending();
      break;
    case "felt":
      onFelt(event);
      break;
    case "chose":
      onChose(event);
      break;
    case "heard":
      if (event.source === "voice") {
        page.lastHeard = addMessage("user", event.text, event.turn_id);
        setBusy(true);
      }
      break;
    case "transcript":
      $("heard").hidden = false;
      $("heard").textContent = page.t.heardPrefix + event.text;
      break;
    case "no-speech":
      announce(page.t.noSpeech);
      break;
    case "command":
      runCommand(event);
      break;
    case "audio":
      playChunk(event.wav).catch((error) => console.error("audio", error));
      break;
    case "seen":
      $("seen").hidden = false;
      $("seen").textContent = event.found
        ? page.t.seenPrefix + ((NAMES[page.lang] || NAMES.en)[event.top] || event.top) : page.t.seenNone;
      break;
    case "checkin": {
      const item = addMessage("assistant", event.message);
      item.classList.add("checkin");
      announce(page.t.checkinArrived + event.message);
      if (page.voiceFirst) page.socket?.send({ type: "speak", text: event.message, language: event.language });
      break;
    }
    case "token":
      if (!page.reply) page.reply = addMessage("assistant", "", event.turn_id);
      page.reply.querySelector(".text").textContent += event.text;
      break;
    case "reply": {
      const item = page.reply || addMessage("assistant", "", event.turn_id);
      item.querySelector(".text").textContent = event.text;
      item.classList.toggle("crisis", event.finish === "crisis");
      addFeedback(item, event.turn_id, null);
      addWhy(item, event.turn_id, page.t, page.lang);
      announce(page.t.repliedPrefix + event.text);
      page.reply = null;
      break;
    }
    case "error": {
      if (event.retry_after_s && !event.turn_id && retryLater(event.retry_after_s)) break;
      const item = addMessage("assistant", `${page.t.errorPrefix}${event.message} ${event.hint || ""}`.trim());
      item.classList.add("failed");
      announce(item.querySelector(".text").textContent);
      page.reply = null;
      if (!event.turn_id) setBusy(false);
      break;
    }
    case "done":
    case "cancelled":
      page.pending = null;
      if (page.reply) page.reply.classList.add("interrupted");
      page.reply = null;
      setBusy(false);
      if (event.event === "cancelled") setStatus("stopped");
      break;
    default:
      break;
  }
}

async function loadHistory() {
  const { turns } = await request("/api/history?limit=60");
  $("conversation").replaceChildren();
  for (const turn of turns) {
    if (turn.role === "assistant" && !turn.text) continue;  // cut off before a word (a crash, a stop)
    const item = addMessage(turn.role, turn.text, turn.turn_id, false);
    item.classList.toggle("crisis", turn.status === "crisis");
    if (turn.role === "assistant" && ["ok", "crisis"].includes(turn.status)) addFeedback(item, turn.turn_id, turn.rating);
  }
  // One plain scroll to the newest message, not scrollIntoView per message: Chromium moves where Tab
  // starts to an element scrolled into view, and a keyboard user's first Tab must reach the skip link.
  window.scrollTo(0, document.documentElement.scrollHeight);
}

function send() {
  const text = $("message").value.trim();
  if (!text || page.busy) return;
  addMessage("user", text);
  $("message").value = "";
  setBusy(true);
  page.pending = { text, speak: page.voiceFirst, newSession: page.newSession, tries: 0, unsent: true, waiting: true };
  page.newSession = false;
  if (page.socket?.open) {
    sayPending();
  } else {
    if (!page.socket) setStatus("offline");
    connect();
  }
}

// A message typed before the socket is open (just after signing in, or while reconnecting) waits here
// and goes when the server says ready: Enter never drops what the person wrote.
function sayPending() {
  const pending = page.pending;
  if (!pending?.unsent || !page.socket?.open) return;
  pending.unsent = false;
  pending.waiting = false;
  page.socket.say(pending.text, pending.speak, pending.newSession);
  setStatus("thinking");
}

// The server turned the message away for now (server-busy: it answers many people; rate-limited) and
// said when to try again; nothing was stored. Send it again then, as many times as a person would wait.
const MOST_RETRIES = 20;
function retryLater(seconds) {
  const pending = page.pending;
  if (!pending || pending.tries >= MOST_RETRIES) return false;
  pending.tries += 1;
  pending.waiting = true;
  $("status").dataset.i18n = "busyRetry";
  $("status").textContent = page.t.busyRetry.replace("{s}", String(seconds));
  window.setTimeout(() => {
    if (page.pending !== pending) return;  // stopped meanwhile
    pending.unsent = true;
    sayPending();  // now, or when a socket that went is back
  }, seconds * 1000);
  return true;
}

// The model reads only the current conversation: a fresh one starts from the persona alone (after
// a pasted essay, say). The earlier messages stay stored and listed; a line marks where the new one begins.
function newConversation() {
  if (page.busy) stop();
  page.newSession = true;
  const mark = document.createElement("li");
  mark.className = "new-conversation";
  mark.dataset.i18n = "newConversation";
  mark.textContent = page.t.newConversation;
  $("conversation").append(mark);
  announce(page.t.newConversationStarted);
  $("message").focus();
}

function stop() {
  stopPlayback();
  if (page.pending?.waiting) {  // not sent yet, or waiting to be sent again: nothing runs on the server to cancel
    page.pending = null;
    setBusy(false);
    return;
  }
  if (page.busy) page.socket?.cancel();
}

// ---- voice, camera and spoken commands ------------------------------------------------------
const COMMANDS = {
  stop: () => stop(),
  forget_that: (event) => {
    if (!event.done) return;
    const turnId = page.lastHeard?.dataset.turnId;
    for (const node of document.querySelectorAll(`.message[data-turn-id="${turnId}"]`)) node.remove();
  },
  large_text: () => setSimpleMode(true),
  normal_text: () => setSimpleMode(false),
  korean: () => setLanguage("ko"),
  english: () => setLanguage("en"),
  open_memories: () => openMemories(page.t),
  open_learned: () => openLearned(),
  close: () => { if (!$("memory-panel").hidden) closeMemories(); if (!$("learned-panel").hidden) closeLearned(); },
  camera_on: () => toggle("camera", true),
  camera_off: () => toggle("camera", false),
  hands_free_off: () => toggle("hands-free", false),
  checkins_on: () => { if (!$("learned-panel").hidden) setCheckins(true); },
  checkins_off: () => { if (!$("learned-panel").hidden) setCheckins(false); },
};

function runCommand(event) {
  COMMANDS[event.action]?.(event);
  announce(event.say + (event.text ? ` ${event.text}` : ""));
}

async function toggle(id, wanted) {
  const button = $(id);
  if (button.getAttribute("aria-disabled") === "true") { explainUnavailable(button); return; }
  const on = wanted ?? button.getAttribute("aria-pressed") !== "true";
  try {
    if (id === "mic") {
      const recording = await toggleMic();
      button.setAttribute("aria-pressed", String(recording));
      $("hands-free").setAttribute("aria-pressed", "false");
      setStatus(recording ? "listening" : "ready");
    } else if (id === "hands-free") {
      button.setAttribute("aria-pressed", String(await setHandsFree(on)));
      $("mic").setAttribute("aria-pressed", "false");
      announce(on ? page.t.handsFreeOn : page.t.handsFreeOff);
    } else if (id === "camera") {
      button.setAttribute("aria-pressed", String(await setCamera(on)));
      $("seen").hidden = !on;
      $("seen").textContent = "";
      announce(on ? page.t.cameraOn : page.t.cameraOff);
    } else if (id === "voice-first") {
      page.voiceFirst = on;
      button.setAttribute("aria-pressed", String(on));
      const said = on ? page.t.voiceFirstOn : page.t.voiceFirstOff;
      announce(said);
      page.socket?.send({ type: "speak", text: said, language: page.lang });
      if (on) await toggle("hands-free", true);
    }
  } catch (error) {
    announce((id === "camera" ? page.t.cameraDenied : page.t.micDenied) + error.message);
    button.setAttribute("aria-pressed", "false");
  }
}

// ---- settings ----------------------------------------------------------------------------
function setLanguage(lang) {
  page.lang = lang;
  page.t = applyLanguage(lang);
  localStorage.setItem("kindred.lang", lang);
}

function setSimpleMode(on) {
  document.body.classList.toggle("simple", on);
  $("simple-mode").setAttribute("aria-pressed", String(on));
  localStorage.setItem("kindred.simple", on ? "1" : "0");
}

function explainUnavailable(button) {
  const note = $(button.getAttribute("aria-describedby"));
  if (button.getAttribute("aria-disabled") === "true") announce(note.textContent);
}

function wire() {
  $("login-form").addEventListener("submit", (event) => { event.preventDefault(); signIn("/api/login"); });
  $("sign-up").addEventListener("click", () => signIn("/api/accounts"));
  $("sign-out").addEventListener("click", signOut);
  $("composer").addEventListener("submit", (event) => { event.preventDefault(); send(); });
  $("message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
  });
  $("stop").addEventListener("click", stop);
  $("new-conversation").addEventListener("click", newConversation);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (!$("memory-panel").hidden) closeMemories();
    else if (!$("learned-panel").hidden) closeLearned();
    else stop();
  });
  $("memory-forget").addEventListener("click", (event) => explainUnavailable(event.currentTarget));
  for (const id of ["mic", "hands-free", "camera", "voice-first"]) $(id).addEventListener("click", () => toggle(id));
  const socket = () => page.socket;
  initVoice({ socket, onBargeIn: () => { if (page.busy) page.socket?.cancel(); } });
  initCamera({ socket });
  wirePanels({ get t() { return page.t; }, announce });
  $("memory-open").addEventListener("click", () => openMemories(page.t));
  $("memory-close").addEventListener("click", closeMemories);
  $("language").addEventListener("click", () => setLanguage(page.lang === "ko" ? "en" : "ko"));
  $("simple-mode").addEventListener("click", () => setSimpleMode(!document.body.classList.contains("simple")));
}

async function boot() {
  wire();
  setLanguage(pickLanguage(localStorage.getItem("kindred.lang"), navigator.language));
  setSimpleMode(localStorage.getItem("kindred.simple") === "1");
  try {
    await refreshSession();
  } catch (error) {
    setStatus("offline");
  }
  document.body.dataset.ready = "true";
}

boot();
