// The innovation points pages' charts, added to luoshi.js's chart table: tiers by stage and by industry on the
// ranking, an enterprise's points against the stage's full marks and its points over the years.
(() => {
  if (typeof CHARTS === "undefined") return;
  const TIER_COLOURS = { A: "#15803d", B: "#1d4ed8", C: "#d97706", D: "#94a3b8" };
  const tierSeries = (rows, tiers, horizontal) => tiers.map((t, i) => ({
    name: (EN ? "Tier " : "") + t + (EN ? "" : "档"), type: "bar", stack: "n", data: rows[i],
    itemStyle: { color: TIER_COLOURS[t] }, barMaxWidth: horizontal ? 18 : 42,
  }));
  CHARTS["innov-stages"] = (data) => ({
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.stages },
    yAxis: { type: "value", minInterval: 1, name: EN ? "enterprises" : "家" },
    series: tierSeries(data.by_stage, data.tiers, false),
  });
  CHARTS["innov-industries"] = (data) => ({
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.industries, inverse: true, axisLabel: { width: 150, overflow: "truncate", interval: 0 } },
    series: tierSeries(data.by_industry, data.tiers, true),
  });
  CHARTS["innov-points"] = (data) => ({
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => (v == null ? "—" : v.toFixed(2)) },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.names, inverse: true, axisLabel: { width: 120, overflow: "truncate", interval: 0 } },
    series: [
      { name: EN ? "Full marks" : "满分", type: "bar", data: data.full, barGap: "-100%", itemStyle: { color: "#e2e8f0" }, barMaxWidth: 16 },
      { name: EN ? "Points" : "得分", type: "bar", data: data.points, itemStyle: { color: "#1d4ed8" }, barMaxWidth: 16 },
    ],
  });
  CHARTS["innov-trend"] = (data) => ({
    animation: false,
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value", min: 0 },
    series: [{ name: EN ? "Points" : "积分", type: "line", data: data.points, label: { show: true }, itemStyle: { color: "#1d4ed8" } }],
  });
})();

// The framework form: each stage's weights summed as they are typed (green when they make the core points), and
// only the parameters of each row's method shown.
(() => {
  const form = document.querySelector(".fw-form");
  if (!form) return;
  const sums = () => {
    const core = parseFloat(form.querySelector("[data-core]").value);
    form.querySelectorAll("[data-sum]").forEach((cell) => {
      let total = 0;
      form.querySelectorAll(`input[data-stage="${cell.dataset.sum}"]`).forEach((input) => { total += parseFloat(input.value) || 0; });
      cell.textContent = Math.round(total * 100) / 100;
      cell.className = "num " + (Math.abs(total - core) < 1e-6 ? "sum-ok" : "sum-bad");
    });
  };
  const params = (row) => {
    const select = row.querySelector("select[name$='-method']");
    if (!select) return;
    const growth = row.querySelector("input[name$='-previous']");
    row.querySelectorAll("[data-param]").forEach((label) => {
      const wanted = label.dataset.param === "growth" ? Boolean(growth && growth.value.trim()) : label.dataset.param === select.value;
      label.hidden = !wanted;
    });
  };
  form.addEventListener("input", (event) => {
    sums();
    const row = event.target.closest("tr");
    if (row) params(row);
  });
  form.addEventListener("change", (event) => { const row = event.target.closest("tr"); if (row) params(row); });
  form.querySelectorAll("tr").forEach(params);
  sums();
})();
