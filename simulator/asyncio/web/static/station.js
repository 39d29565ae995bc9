// One station: its state (pushed when it changes), its frame log (new frames appended), and the
// buttons of a person at the charger, each a command on the control WebSocket.
import { Control, kw, kwh, setText } from "./control.js";

const identity = decodeURIComponent(location.pathname.split("/").pop());
const KNOWN = new Set([
  "identity", "protocol", "connected", "boot_status", "queued_transaction_messages", "local_list_version",
  "charging_profiles", "faults", "evses", "condition", "link", "local_list", "auth_cache", "configuration",
  "errors", "reservations", "display_messages", "costs",
]);
const MAX_FRAMES = 400;
const calls = new Map(); // message id → action, to name the answers
const $ = (id) => document.getElementById(id);
let latest = null;

document.title = `${identity} · evharness`;
setText($("identity"), identity);

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined && text !== null) made.textContent = String(text);
  if (className) made.className = className;
  return made;
}

function fillTable(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement("tr");
    cells.forEach((cell) => tr.appendChild(element("td", cell)));
    return tr;
  }));
}

function when(seconds) {
  return seconds ? new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19) : "";
}

function renderState(state) {
  latest = state;
  setText($("condition"), state.condition.replace("_", " "));
  $("condition").dataset.condition = state.condition;
  const facts = [
    ["OCPP", state.protocol], ["Connected", state.connected ? "yes" : "no"], ["Boot", state.boot_status ?? "–"],
    ["CSMS", state.link.url], ["Connections", `${state.link.connections} opened, ${state.link.disconnections} lost`],
    ["Queued transaction messages", state.queued_transaction_messages],
    ["Charging profiles", state.charging_profiles.join(", ") || "none"],
    ["Faults injected", state.faults.join(", ") || "none"],
  ];
  if (state.link.last_error) facts.push(["Last connection error", state.link.last_error]);
  $("facts").replaceChildren(...facts.flatMap(([name, value]) => [element("dt", name), element("dd", value)]));
  const evse = $("evse");
  if (evse.options.length !== state.evses.length) {
    evse.replaceChildren(...state.evses.map((e) => element("option", e.id)));
  }
  fillTable($("evses"), state.evses.map((e) => [
    e.id,
    e.connectors.map((c) => `${c.id}: ${c.state}${c.plugged ? " (plugged)" : ""}`).join(", "),
    e.transaction ? `${e.transaction.id}${e.transaction.authorized ? "" : " (not authorized)"}` : "",
    kwh(e.energy_wh), kw(e.power_w), e.soc_percent ?? "",
    e.smart_charging.limit_w === null ? "" : kw(e.smart_charging.limit_w),
    e.smart_charging.profiles.map((p) => `${p.id} ${p.purpose} #${p.stack_level} ${p.source}`).join(", "),
  ]));
  setText($("list-version"), `version ${state.local_list_version}`);
  const tokens = (list) => list.map((t) => [t.code, t.status, when(t.expires_at), t.group ?? ""]);
  fillTable($("reservations"), state.reservations.map((r) => [
    r.id, r.evse ?? "any", when(r.expires_at), r.connector_type ?? "",
  ]));
  fillTable($("display-messages"), state.display_messages.map((m) => [
    m.id, m.priority, m.content, m.language ?? "", m.state ?? "",
  ]));
  fillTable($("costs"), (state.costs ?? []).map((c) => [
    c.transaction, c.state, c.total ?? "", c.currency, c.shown,
  ]));
  fillTable($("local-list"), tokens(state.local_list));
  fillTable($("auth-cache"), tokens(state.auth_cache));
  $("errors").replaceChildren(...state.errors.slice().reverse().map((e) => element("li", `${when(e.at)}  ${e.text}`)));
  renderConfiguration();
  const extra = Object.keys(state).filter((key) => !KNOWN.has(key));
  $("features").hidden = extra.length === 0;
  $("feature-list").replaceChildren(...extra.flatMap((key) => [
    element("h3", key.replaceAll("_", " ")), element("pre", JSON.stringify(state[key], null, 2)),
  ]));
}

function renderConfiguration() {
  if (!latest) return;
  const wanted = $("config-filter").value.toLowerCase();
  const rows = latest.configuration.filter((row) => row.name.toLowerCase().includes(wanted));
  fillTable($("configuration"), rows.map((row) => [row.name, row.value ?? "", row.access]));
}

function describe(frame) {
  // [2, id, action, payload] · [3, id, payload] · [4, id, code, description, details] · 2.1 [6, …]
  const fromCsms = frame.direction === "in";
  let parsed = null;
  try { parsed = JSON.parse(frame.frame); } catch { return { title: "not JSON", body: frame.frame, error: fromCsms }; }
  if (!Array.isArray(parsed)) return { title: "not an OCPP-J frame", body: frame.frame, error: fromCsms };
  const [type, id] = parsed;
  if (type === 2 || type === 6) {
    calls.set(id, parsed[2]);
    return { title: `${parsed[2]}${type === 6 ? " (SEND)" : ""}`, body: JSON.stringify(parsed[3], null, 2) };
  }
  const action = calls.get(id) ?? "?";
  if (type === 3) return { title: `${action} answered`, body: JSON.stringify(parsed[2], null, 2) };
  if (type === 4 || type === 5) {
    return {
      title: `${action} → CALLERROR ${parsed[2]}`,
      body: JSON.stringify({ errorCode: parsed[2], errorDescription: parsed[3], errorDetails: parsed[4] }, null, 2),
      error: fromCsms,
    };
  }
  return { title: `message type ${type}`, body: JSON.stringify(parsed, null, 2), error: fromCsms };
}

function appendFrames(frames, skipped) {
  const list = $("frames");
  const following = list.scrollTop + list.clientHeight >= list.scrollHeight - 30;
  if (skipped) list.appendChild(element("li", "… earlier frames were dropped from the station's log …", "skipped"));
  for (const frame of frames) {
    const shown = describe(frame);
    const item = element("li", null, `frame ${frame.direction}${shown.error ? " csms-error" : ""}`);
    const details = document.createElement("details");
    const summary = element("summary");
    summary.append(
      element("span", frame.direction === "out" ? "→" : "←", "arrow"),
      element("time", when(frame.at).slice(11)),
      element("span", shown.title, "title"),
    );
    details.append(summary, element("pre", shown.body));
    item.appendChild(details);
    list.appendChild(item);
  }
  while (list.children.length > MAX_FRAMES) list.removeChild(list.firstChild);
  if (following) list.scrollTop = list.scrollHeight;
}

const control = new Control(
  (event) => {
    if (event.event !== "station") return;
    if (event.state) renderState(event.state);
    if (event.frames.length || event.skipped) appendFrames(event.frames, event.skipped);
  },
  (status) => setText($("status"), status),
);

function argumentsOf(command) {
  const evse = Number($("evse").value || 1);
  const seconds = (id) => ($(id).value ? Number($(id).value) : null);
  switch (command) {
    case "present_token": return { evse, type: $("token-type").value, code: $("token-code").value.trim() };
    case "charge": return { evse, power_kw: Number($("power").value), energy_kwh: Number($("energy").value) };
    case "go_offline": return { seconds: seconds("offline-seconds") };
    case "fault": return { kind: $("fault").value, seconds: seconds("fault-seconds") };
    case "ems_limit": return { evse: 0, limit_kw: Number($("ems-kw").value) };
    case "ems_release": return { evse: 0 };
    case "data_transfer": {
      const text = (id) => $(id).value.trim() || null;
      return { vendor: $("dt-vendor").value.trim(), message: text("dt-message"), data: text("dt-data") };
    }
    default: return { evse };
  }
}

for (const button of document.querySelectorAll("[data-command]")) {
  button.addEventListener("click", async () => {
    const command = button.dataset.command;
    const outcome = $("outcome");
    const args = command === "connector_fault"
      ? { evse: Number($("evse").value || 1), connector: Number($("fault-connector").value || 1),
          faulted: button.dataset.faulted === "true" }
      : argumentsOf(command);
    try {
      await control.command(identity, command, args);
      outcome.className = "outcome ok";
      setText(outcome, `${button.textContent}: done`);
    } catch (error) {
      outcome.className = "outcome refused";
      setText(outcome, `${button.textContent}: ${error.message}`);
    }
  });
}
$("config-filter").addEventListener("input", renderConfiguration);
$("act").addEventListener("submit", (event) => event.preventDefault());
control.subscribe("station", { station: identity });
