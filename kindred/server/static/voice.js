// Voice in the browser: the microphone (off until the user turns it on) streams 16 kHz PCM to the
// server; spoken replies come back as WAV chunks and are played in order. Hands-free finds the start
// and end of speech by loudness; speaking while Kindred talks (barge-in) stops her at once.
import { setListening, setSpeaking } from "./orb.js";

const START_LEVEL = 0.02;   // RMS of a 100 ms frame that counts as voice
const START_FRAMES = 2;     // 200 ms of voice starts an utterance
const END_SILENCE = 8;      // 800 ms of quiet ends it
const MAX_FRAMES = 250;     // 25 s at most
const v = { ctx: null, stream: null, node: null, recording: false, handsFree: false, inUtterance: false,
  voiced: 0, quiet: 0, frames: 0, preroll: [], out: null, next: 0, sources: new Set(), chunks: 0 };
let app = null;  // { socket(), t(), announce(text), onBargeIn() }

export function initVoice(context) { app = context; }
export const micOn = () => v.recording || v.handsFree;

async function openMic() {
  if (v.node) return;
  v.stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  v.ctx = new AudioContext();
  await v.ctx.audioWorklet.addModule("/static/mic-worklet.js");
  const source = v.ctx.createMediaStreamSource(v.stream);
  v.node = new AudioWorkletNode(v.ctx, "mic-16k");
  const mute = v.ctx.createGain();
  mute.gain.value = 0;
  source.connect(v.node).connect(mute).connect(v.ctx.destination);
  v.node.port.onmessage = (message) => onFrame(message.data.pcm, message.data.level);
}

function closeMic() {
  if (v.recording || v.handsFree) return;
  v.stream?.getTracks().forEach((track) => track.stop());
  v.ctx?.close();
  Object.assign(v, { ctx: null, stream: null, node: null });
  setListening(false);
}

function begin() {
  if (isPlaying()) { stopPlayback(); app.onBargeIn(); }
  app.socket()?.send({ type: "audio_start", speak: true });
  v.inUtterance = true; v.frames = 0; v.quiet = 0;
  setListening(true);
}

function end() {
  v.inUtterance = false;
  app.socket()?.send({ type: "audio_end" });
  if (!v.handsFree) setListening(false);
}

function onFrame(pcm, level) {
  const socket = app.socket();
  if (!socket?.open) return;
  if (v.recording) { socket.sendBinary(pcm); return; }
  if (!v.handsFree) return;
  if (!v.inUtterance) {
    v.preroll.push(pcm);
    if (v.preroll.length > 4) v.preroll.shift();
    v.voiced = level > START_LEVEL ? v.voiced + 1 : 0;
    if (v.voiced >= START_FRAMES) {
      begin();
      for (const frame of v.preroll) socket.sendBinary(frame);
      v.preroll = [];
    }
    return;
  }
  socket.sendBinary(pcm);
  v.frames += 1;
  v.quiet = level > START_LEVEL ? 0 : v.quiet + 1;
  if (v.quiet >= END_SILENCE || v.frames >= MAX_FRAMES) end();
}

// Push to talk: the first press starts listening, the second sends what was said.
export async function toggleMic() {
  if (v.recording) {
    v.recording = false;
    end();
    closeMic();
    return false;
  }
  await openMic();
  if (v.handsFree) await setHandsFree(false);
  v.recording = true;
  begin();
  return true;
}

export async function setHandsFree(on) {
  if (on) {
    await openMic();
    v.handsFree = true;
    setListening(true);
  } else {
    v.handsFree = false;
    if (v.inUtterance) end();
    closeMic();
  }
  return v.handsFree;
}

// ---- playback ---------------------------------------------------------------------------------
function isPlaying() { return v.sources.size > 0; }

export function stopPlayback() {
  for (const source of v.sources) { try { source.stop(); } catch { /* already stopped */ } }
  v.sources.clear();
  v.next = 0;
  setSpeaking(false);
}

export async function playChunk(base64) {
  v.out = v.out || new AudioContext();
  if (v.out.state === "suspended") await v.out.resume().catch(() => {});
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const buffer = await v.out.decodeAudioData(bytes.buffer);
  const source = v.out.createBufferSource();
  source.buffer = buffer;
  source.connect(v.out.destination);
  const at = Math.max(v.out.currentTime + 0.02, v.next);
  v.next = at + buffer.duration;
  v.sources.add(source);
  source.onended = () => { v.sources.delete(source); if (!isPlaying()) setSpeaking(false); };
  source.start(at);
  setSpeaking(true);
  v.chunks += 1;
  document.body.dataset.audioChunks = String(v.chunks);
}
