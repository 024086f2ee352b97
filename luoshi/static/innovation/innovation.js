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
