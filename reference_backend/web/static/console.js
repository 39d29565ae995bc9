// The console pages' one script: every page is HTML that says which console API call fills it and which
// call each form and button makes; this module carries those calls out with the session token, exactly
// as any REST client would (`Authorization: Bearer …`). Text goes into the page as text, never as HTML.
//
//   data-load="GET /api/companies/{company_id}"   fill this element with the answer
//   data-list="members"                            repeat the <template> inside for each item
//   data-text="email"  data-format="datetime"      the text of a field
//   data-attr-href="/console/stations/{identity}"  an attribute, with {field} / {?query} / {.} filled in
//   data-show="operator"  data-hide="blocked"       shown only when the field is truthy / falsy
//   data-checked="blocked"                          a checkbox ticked when the field is truthy
//   <form data-call="POST /api/…" data-then="reload | go:/console/… | session | logout">
//   <button type="button" data-call="POST /api/access-requests/{id}/approve" data-then="reload">
//   inputs: data-type="int | auto | datetime | list" (list: checkboxes of one name form an array)

const TOKEN = "evharness.session";
const query = new URLSearchParams(location.search);
const params = JSON.parse(document.body.dataset.params || "{}");
const BOUNDARY = "[data-item],[data-load]";

class ApiError extends Error {
  constructor(status, detail, field) {
    super(detail);
    this.status = status;
    this.field = field;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const answer = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    redirect: "manual",
  });
  const text = await answer.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (!answer.ok) {
    if (answer.status === 401 && document.body.dataset.session === "required") toLogin();
    throw refusal(answer.status, data);
  }
  return data;
}

function refusal(status, data) {
  // every refusal of the API has one shape: {"detail": "...", "field": "..."}
  return new ApiError(status, (data && data.detail) || `HTTP ${status}`, data && data.field);
}

function toLogin() {
  sessionStorage.removeItem(TOKEN);
  location.assign(`/console/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

function lookup(data, path) {
  if (path === ".") return data;
  return path.split(".").reduce((value, key) => (value === null || value === undefined ? undefined : value[key]), data);
}

function find(scopes, path) {
  if (path.startsWith("?")) return query.get(path.slice(1)) ?? "";
  for (const scope of scopes) {
    const value = lookup(scope, path);
    if (value !== undefined) return value;
  }
  return "";
}

function fill(text, scopes, encode = encodeURIComponent) {
  return text.replace(/\{([^}]+)\}/g, (_, path) => encode(String(find(scopes, path) ?? "")));
}

function format(value, how) {
  if (value === null || value === undefined) return "";
  if (how === "datetime" && value) return String(value).replace("T", " ").slice(0, 16) + " UTC";
  if (how === "yesno") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map((v) => (typeof v === "object" ? JSON.stringify(v) : v)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function owned(root, selector) {
  return [...root.querySelectorAll(selector)].filter(
    (element) => (element.parentElement.closest(BOUNDARY) ?? document.body) === root,
  );
}

function render(root, data, scopes) {
  root.evhScopes = scopes;
  const self = root === document.body ? [] : [root];
  // an element that loads its own data, or a list's item, is filled with its own data, not its parent's
  const own = (selector) => owned(root, selector).filter((e) => !e.matches(BOUNDARY));
  const mine = (selector) => [...self.filter((e) => e.matches(selector)), ...own(selector)];
  for (const list of mine("[data-list]")) {
    if (list === root && root.hasAttribute("data-item")) continue;
    const items = lookup(data, list.dataset.list) || [];
    const template = list.querySelector(":scope > template");
    const into = list.querySelector(":scope [data-into]") || list;
    into.querySelectorAll(":scope > [data-item]").forEach((old) => old.remove());
    for (const item of items) {
      const made = template.content.firstElementChild.cloneNode(true);
      made.setAttribute("data-item", "");
      into.appendChild(made);
      render(made, item, [item, ...scopes]);
    }
    const empty = list.querySelector(":scope [data-empty]");
    if (empty) empty.hidden = items.length > 0;
  }
  for (const element of mine("[data-text]")) {
    element.textContent = format(find(scopes, element.dataset.text), element.dataset.format);
  }
  for (const element of mine("*")) {
    for (const name of element.getAttributeNames()) {
      if (!name.startsWith("data-attr-")) continue;
      const value = fill(element.getAttribute(name), scopes, name === "data-attr-href" ? encodeURIComponent : String);
      const attribute = name.slice("data-attr-".length);
      if (attribute === "value") element.value = value;
      else element.setAttribute(attribute, value);
    }
    if (element.dataset.show !== undefined) element.hidden = !truthy(find(scopes, element.dataset.show));
    if (element.dataset.hide !== undefined) element.hidden = truthy(find(scopes, element.dataset.hide));
    if (element.dataset.checked !== undefined) element.checked = truthy(find(scopes, element.dataset.checked));
  }
  for (const element of owned(root, "[data-load]")) load(element, scopes);
}

function truthy(value) {
  return Array.isArray(value) ? value.length > 0 : Boolean(value) && value !== "false";
}

async function load(element, scopes) {
  const [method, path] = element.dataset.load.split(" ");
  if (element.dataset.needsSession !== undefined && !token()) {
    element.hidden = true;
    return;
  }
  try {
    const data = await api(method, fill(path, scopes));
    render(element, data, [data, ...scopes]);
    element.setAttribute("data-loaded", "");
    element.dispatchEvent(new CustomEvent("evh:loaded", { detail: data, bubbles: true }));
  } catch (error) {
    say(element, error, true);
  }
}

function say(element, error, refused) {
  let message = element.querySelector(":scope > .message");
  if (!message) {
    message = document.createElement("p");
    message.className = "message";
    message.setAttribute("role", "status");
    element.appendChild(message);
  }
  message.className = `message ${refused ? "refused" : "ok"}`;
  message.textContent = refused && error.status ? `${error.message} (${error.status})` : String(error.message ?? error);
}

function body(form) {
  const made = {};
  const put = (name, value) => {
    const keys = name.split(".");
    let target = made;
    keys.slice(0, -1).forEach((key) => { target = target[key] ??= {}; });
    target[keys[keys.length - 1]] = value;
  };
  for (const input of form.querySelectorAll("[name]")) {
    const kind = input.dataset.type;
    if (input.type === "checkbox" && kind === "list") {
      const name = input.name;
      if (!(name in made)) put(name, []);
      if (input.checked) lookup(made, name).push(input.dataset.value === "int" ? Number(input.value) : input.value);
      continue;
    }
    if (input.type === "checkbox") { put(input.name, input.checked); continue; }
    const raw = input.value.trim();
    if (raw === "" && !input.hasAttribute("data-keep-empty")) continue;
    if (kind === "int") put(input.name, Number(raw));
    else if (kind === "datetime") put(input.name, raw.length === 16 ? `${raw}:00Z` : raw);
    else if (kind === "auto") {
      let value = raw;
      try { value = JSON.parse(raw); } catch { /* text */ }
      put(input.name, value);
    } else put(input.name, raw);
  }
  return made;
}

async function call(element, scopes, payload) {
  const [method, path] = element.dataset.call.split(" ");
  const form = element.closest("form") || element.closest(BOUNDARY) || document.body;
  form.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
  try {
    const answer = await api(method, fill(path, scopes), payload);
    const then = element.dataset.then || "";
    if (then === "session") {
      sessionStorage.setItem(TOKEN, answer.token);
      const next = query.get("next");
      location.assign(next && next.startsWith("/console/") ? next : "/console/");
      return;
    }
    if (then === "logout") {
      sessionStorage.removeItem(TOKEN);
      location.assign("/console/login");
      return;
    }
    if (then.startsWith("go:")) {
      location.assign(fill(then.slice(3), [answer || {}, ...scopes]));
      return;
    }
    // a list item is drawn anew by the reload: say it where it stays
    const shown = then === "reload" && form.closest("[data-item]") ? form.closest("section") || form : form;
    say(shown, { message: element.dataset.done || (answer && answer.detail) || "Done." }, false);
    if (then === "reload") refresh();
  } catch (error) {
    if (error.field) {
      form.querySelectorAll(`[name="${CSS.escape(error.field)}"], [name$=".${CSS.escape(error.field)}"]`)
        .forEach((input) => input.setAttribute("aria-invalid", "true"));
    }
    say(form, error, true);
  }
}

function scopesOf(element) {
  const boundary = element.closest(BOUNDARY);
  return boundary && boundary.evhScopes ? boundary.evhScopes : [params];
}

function refresh() {
  render(document.body, params, [params]);
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.dataset.call) return;
  event.preventDefault();
  call(form, scopesOf(form), body(form));
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-call]");
  if (!button || button.type === "submit") return;
  event.preventDefault();
  if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
  call(button, scopesOf(button), button.dataset.body ? JSON.parse(button.dataset.body) : undefined);
});

if (document.body.dataset.session === "required" && !token()) toLogin();
else refresh();
for (const element of document.querySelectorAll("[data-when-session]")) element.hidden = !token();
for (const element of document.querySelectorAll("[data-when-no-session]")) element.hidden = Boolean(token());
if (query.has("token") && document.body.dataset.keepToken === undefined) {
  // the link's token has been read: keep it out of the history and of anything copied from the address bar
  const kept = query.get("token");
  history.replaceState(null, "", location.pathname);
  query.set("token", kept);
}
