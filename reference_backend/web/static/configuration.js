// Charging authorization: tick the identification types the station's setting holds now.
document.getElementById("charging-authorization").addEventListener("evh:loaded", (event) => {
  const setting = event.detail.find((s) => s.name === "identification_types") || {};
  const enabled = (setting.desired ?? setting.reported ?? "").split(",").filter(Boolean);
  for (const box of event.currentTarget.querySelectorAll('input[name="identification_types"]')) {
    box.checked = enabled.includes(box.value);
  }
  document.getElementById("identification-types").textContent =
    `Enabled now: ${enabled.length ? enabled.join(", ") : "none"}${setting.push_status ? ` (last push: ${setting.push_status})` : ""}`;
});
