// The fleet table: the server sends one page of rows (filtered, searched); rows are reused, and a
// cell is written only when its text changed, so 10 000 stations cost what 50 rows cost.
import { Control, kw, kwh, setText } from "./control.js";

const body = document.querySelector("#fleet tbody");
const search = document.getElementById("search");
const condition = document.getElementById("condition");
const size = document.getElementById("size");
const position = document.getElementById("position");
const counts = document.getElementById("counts");
let page = 0;
let pages = 1;
let searchTimer = null;

const COLUMNS = [
  (row) => row.identity,
  (row) => row.protocol,
  (row) => row.condition.replace("_", " "),
  (row) => row.connectors.join(" · "),
  (row) => row.transaction,
  (row) => kwh(row.energy_wh),
  (row) => kw(row.power_w),
  (row) => row.faults.join(", "),
  (row) => row.error,
  (row) => row.limits.join(" · "),
];

function rowElement(index) {
  while (body.rows.length <= index) {
    const tr = body.insertRow();
    COLUMNS.forEach((_, column) => {
      const cell = tr.insertCell();
      if (column === 0) cell.appendChild(document.createElement("a"));
      if (column === 5 || column === 6) cell.className = "number";
      if (column === 8) cell.className = "error-text";
    });
  }
  return body.rows[index];
}

function render(view) {
  pages = view.pages;
  page = view.page;
  view.rows.forEach((row, index) => {
    const tr = rowElement(index);
    tr.dataset.condition = row.condition;
    COLUMNS.forEach((column, n) => {
      const cell = tr.cells[n];
      const target = n === 0 ? cell.firstChild : cell;
      setText(target, column(row));
      if (n === 0) {
        const href = `/ui/station/${encodeURIComponent(row.identity)}`;
        if (target.getAttribute("href") !== href) target.setAttribute("href", href);
      }
    });
  });
  while (body.rows.length > view.rows.length) body.deleteRow(-1);
  setText(position, `page ${view.page + 1} of ${view.pages} · ${view.matching} of ${view.total} stations`);
  setText(counts, Object.entries(view.counts).map(([name, n]) => `${name.replace("_", " ")} ${n}`).join(" · "));
  for (const [name, n] of Object.entries(view.counts)) {
    let option = condition.querySelector(`option[value="${name}"]`);
    if (!option) {
      option = document.createElement("option");
      option.value = name;
      condition.appendChild(option);
    }
    setText(option, `${name.replace("_", " ")} (${n})`);
  }
}

const control = new Control(
  (event) => event.event === "fleet" && render(event),
  (status) => setText(document.getElementById("status"), status),
);

function follow() {
  control
    .subscribe("fleet", { page, size: Number(size.value), condition: condition.value, search: search.value })
    .catch((error) => setText(document.getElementById("status"), error.message));
}

search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { page = 0; follow(); }, 200);
});
condition.addEventListener("change", () => { page = 0; follow(); });
size.addEventListener("change", () => { page = 0; follow(); });
document.getElementById("previous").addEventListener("click", () => { if (page > 0) { page -= 1; follow(); } });
document.getElementById("next").addEventListener("click", () => { if (page + 1 < pages) { page += 1; follow(); } });
document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());
follow();
