// Talking to the server: JSON requests and the conversation WebSocket.
export async function request(path, { method = "GET", body } = {}) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data?.error?.message || `HTTP ${response.status}`);
    error.code = data?.error?.code || "http-error";
    error.hint = data?.error?.hint || "";
    throw error;
  }
  return data;
}

export function openConversation(onEvent, onClose) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/api/conversation`);
  socket.addEventListener("message", (message) => {
    try {
      onEvent(JSON.parse(message.data));
    } catch (error) {
      console.error("bad event", error);
    }
  });
  socket.addEventListener("close", (event) => onClose(event));
  return {
    say(text, speak = false, newSession = false) {
      socket.send(JSON.stringify({ type: "say", text, speak, new_session: newSession }));
    },
    send(message) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    },
    sendBinary(buffer) {
      if (socket.readyState === WebSocket.OPEN) socket.send(buffer);
    },
    cancel() {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "cancel" }));
    },
    close() {
      socket.close();
    },
    get open() {
      return socket.readyState === WebSocket.OPEN;
    },
    get connecting() {
      return socket.readyState === WebSocket.CONNECTING;
    },
  };
}
