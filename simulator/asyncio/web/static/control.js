// The control WebSocket of `evharness sim --control-port`: commands and live views, reconnecting.
export class Control {
  constructor(onEvent, onStatus) {
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.ids = 0;
    this.pending = new Map();
    this.subscription = null;
    this.delay = 250;
    this.open();
  }

  open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.socket = new WebSocket(`${scheme}://${location.host}/control`);
    this.socket.addEventListener("open", () => {
      this.delay = 250;
      this.onStatus("connected");
      if (this.subscription) this.send(this.subscription);
    });
    this.socket.addEventListener("message", (message) => this.receive(JSON.parse(message.data)));
    this.socket.addEventListener("close", () => {
      this.onStatus("disconnected: retrying");
      for (const [, reject] of this.pending.values()) reject(new Error("the control connection closed"));
      this.pending.clear();
      setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
    });
  }

  receive(message) {
    if (message.event) {
      this.onEvent(message);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.ok) waiting[0](message.result);
    else waiting[1](new Error(message.error || "refused"));
  }

  send(message) {
    const id = ++this.ids;
    return new Promise((resolve, reject) => {
      this.pending.set(id, [resolve, reject]);
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ id, ...message }));
      else {
        this.pending.delete(id);
        reject(new Error("not connected to the control port"));
      }
    });
  }

  command(station, command, args = {}) {
    return this.send({ station, command, ...args });
  }

  subscribe(view, args = {}) {
    this.subscription = { command: "subscribe", view, ...args };
    if (this.socket.readyState === WebSocket.OPEN) return this.send(this.subscription);
    return Promise.resolve();
  }
}

// Set a text only when it changed: a live table rewrites nothing that stayed the same.
export function setText(element, text) {
  const value = text === null || text === undefined ? "" : String(text);
  if (element.textContent !== value) element.textContent = value;
}

export function kwh(wh) {
  return (wh / 1000).toFixed(3);
}

export function kw(w) {
  return (w / 1000).toFixed(2);
}
