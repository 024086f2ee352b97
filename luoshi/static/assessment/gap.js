// The gap page's chart, added to luoshi.js's chart table: per indicator, the score gained by matching the
// national best alone, largest on top; red where that alone reaches the target rank, and a line at the score
// still to gain.
(() => {
  CHARTS["benchmark-gains"] = (data) => ({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => v.toFixed(2) },
    grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: "value", name: EN ? "Points" : "得分" },
    yAxis: { type: "category", data: data.names, inverse: true, axisLabel: { interval: 0, width: 260, overflow: "truncate" } },
    series: [{
      name: EN ? "Gain from matching the best" : "达到全国最佳可增加得分",
      type: "bar",
      data: data.gains.map((v, i) => ({ value: v, itemStyle: { color: data.reaches[i] ? "#b91c1c" : "#94a3b8" } })),
      label: { show: true, position: "right", formatter: (p) => p.value.toFixed(2) },
      markLine: data.gap === null ? undefined : {
        symbol: "none",
        data: [{ xAxis: data.gap }],
        label: { formatter: (EN ? "Gap " : "还差 ") + data.gap.toFixed(2) },
        lineStyle: { color: "#1d4ed8", type: "dashed" },
      },
    }],
  });
})();
