// The project page's investment chart, added to luoshi.js's chart table (CHARTS is a top-level const of that
// classic script, loaded before this one): cumulative plan and actual as lines, each month's amounts as bars.
(() => {
  CHARTS["project-investment"] = (data) => {
    const pick = (key) => data.rows.map((r) => r[key]);
    return {
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v.toLocaleString()) },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.plan_month, type: "bar", data: pick("plan_month"), itemStyle: { color: "#cbd5e1" } },
        { name: data.labels.actual_month, type: "bar", data: pick("actual_month"), itemStyle: { color: "#60a5fa" } },
        { name: data.labels.plan_cum, type: "line", data: pick("plan_cum"), lineStyle: { type: "dashed" }, itemStyle: { color: "#64748b" } },
        { name: data.labels.actual_cum, type: "line", data: pick("actual_cum"), connectNulls: false, itemStyle: { color: "#1d4ed8" } },
      ],
    };
  };
})();
