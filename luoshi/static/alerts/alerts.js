// The warnings page's chart, added to luoshi.js's chart table (CHARTS is a top-level const of that classic
// script, so this script, loaded after it, sees it): one stacked bar per rule, red, yellow and blue.
(() => {
  const COLOURS = { red: "#b91c1c", yellow: "#d97706", blue: "#1d4ed8" };
  CHARTS["warnings-by-rule"] = (data) => ({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.rules, inverse: true, axisLabel: { interval: 0 } },
    series: data.series.map((s) => ({
      name: s.name, type: "bar", stack: "n", data: s.data, itemStyle: { color: COLOURS[s.level] },
    })),
  });
})();
