// The opt-in camera: off by default; when on, one small JPEG frame every few seconds goes to the
// server, which reads the expression in memory and throws the frame away.
const EVERY_MS = 3000;
const cam = { stream: null, video: null, timer: null, canvas: null };
let app = null;  // { socket() }

export function initCamera(context) { app = context; }
export const cameraOn = () => Boolean(cam.stream);

function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function grab() {
  const socket = app.socket();
  if (!cam.video || !socket?.open || cam.video.readyState < 2) return;
  cam.canvas = cam.canvas || document.createElement("canvas");
  cam.canvas.width = 320;
  cam.canvas.height = 240;
  cam.canvas.getContext("2d").drawImage(cam.video, 0, 0, 320, 240);
  cam.canvas.toBlob(async (blob) => {
    if (blob && cam.stream) socket.send({ type: "frame", jpeg: toBase64(await blob.arrayBuffer()) });
  }, "image/jpeg", 0.8);
}

export async function setCamera(on) {
  if (on && !cam.stream) {
    cam.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
    cam.video = document.createElement("video");  // never added to the page: no preview is kept
    cam.video.muted = true;
    cam.video.playsInline = true;
    cam.video.srcObject = cam.stream;
    await cam.video.play();
    window.setTimeout(grab, 500);
    cam.timer = window.setInterval(grab, EVERY_MS);
  } else if (!on && cam.stream) {
    window.clearInterval(cam.timer);
    cam.stream.getTracks().forEach((track) => track.stop());
    Object.assign(cam, { stream: null, video: null, timer: null });
    app.socket()?.send({ type: "camera_off" });
  }
  return cameraOn();
}
