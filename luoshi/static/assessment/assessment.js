// A run's chart, added to luoshi.js's chart table: each unit's score as a bar and, when the run has an
// uncertainty analysis, beside it the unit's rank interval (5th to 95th percentile, median as a dot).
(() => {
  CHARTS["assessment-scores"] = (data) => {
    const intervals = data.intervals.length > 0;
    const n = data.units.length;
    const grid = intervals
      ? [{ left: 8, width: "55%", top: 28, bottom: 8, containLabel: true }, { right: 24, width: "30%", top: 28, bottom: 8, containLabel: true }]
      : [{ left: 8, right: 40, top: 28, bottom: 8, containLabel: true }];
    const size = data.big ? (n > 20 ? 15 : 18) : 12; // the big screen's labels are read from across the room
    const yAxis = [{ type: "category", data: data.units, inverse: true, axisLabel: { interval: 0, fontSize: size }, gridIndex: 0 }];
    // Scores are out of 100, but bonus points may take one past it.
    const xAxis = [{ type: "value", max: (v) => Math.max(100, Math.ceil(v.max)), gridIndex: 0, name: data.labels.score }];
    const series = [{
      name: data.labels.score, type: "bar", data: data.scores, xAxisIndex: 0, yAxisIndex: 0,
      itemStyle: { color: "#b91c1c" }, label: { show: true, position: "right", fontSize: size }, barMaxWidth: 40,
    }];
    if (intervals) {
      yAxis.push({ type: "category", data: data.units, inverse: true, gridIndex: 1, axisLabel: { show: false } });
      xAxis.push({ type: "value", gridIndex: 1, inverse: true, min: 1, max: n, minInterval: 1, name: data.labels.rank });
      series.push({
        name: data.labels.interval, type: "custom", xAxisIndex: 1, yAxisIndex: 1,
        data: data.intervals.map((q, i) => [q[0], q[2], q[1], i]),
        encode: { x: [0, 1, 2], y: 3 },
        renderItem: (params, api) => {
          const y = api.coord([1, api.value(3)])[1];
          const [lo, hi, mid] = [0, 1, 2].map((k) => api.coord([api.value(k), api.value(3)])[0]);
          const style = { stroke: "#1d4ed8", lineWidth: 2 };
          return { type: "group", children: [
            { type: "line", shape: { x1: lo, y1: y, x2: hi, y2: y }, style },
            { type: "line", shape: { x1: lo, y1: y - 6, x2: lo, y2: y + 6 }, style },
            { type: "line", shape: { x1: hi, y1: y - 6, x2: hi, y2: y + 6 }, style },
            { type: "circle", shape: { cx: mid, cy: y, r: 4 }, style: { fill: "#1d4ed8" } },
          ] };
        },
      });
    }
    return { backgroundColor: "transparent", tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 }, grid, xAxis, yAxis, series };
  };
})();

// One unit's result: what each part contributes to its score, and its score and rank over the periods.
(() => {
  CHARTS["assessment-parts"] = (data) => ({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.parts, inverse: true, axisLabel: { interval: 0 } },
    series: [{ name: data.labels.part, type: "bar", data: data.contributions, itemStyle: { color: "#1d4ed8" }, label: { show: true, position: "right" } }],
  });
  CHARTS["assessment-trend"] = (data) => ({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.periods },
    yAxis: [{ type: "value", name: data.labels.score }, { type: "value", name: data.labels.rank, inverse: true, minInterval: 1, min: 1 }],
    series: [
      { name: data.labels.score, type: "bar", data: data.scores, itemStyle: { color: "#93c5fd" } },
      { name: data.labels.rank, type: "line", yAxisIndex: 1, data: data.ranks, itemStyle: { color: "#b91c1c" }, label: { show: true } },
    ],
  });
})();
