// The key-project charts: the battle map (projects/map.html) and the Gantt of stage dates (projects/gantt.html).
// Each reads its data from a json_script element next to its container; htmx swaps of #results redraw them.
// Labels come from the server in the data (translated there); user text is escaped before it reaches a tooltip.
(() => {
  const STAGE_COLOURS = ["#94a3b8", "#a78bfa", "#6366f1", "#0ea5e9", "#14b8a6", "#f59e0b", "#ef4444", "#7f1d1d"];
  const LAG_COLOURS = ["#15803d", "#1d4ed8", "#d97706", "#b91c1c"]; // luoshi.css: --ok, --info, amber, --bad
  const charts = new Map(); // kind → ECharts instance, disposed when htmx replaces its container

  const json = (id) => {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  };
  const esc = (text) =>
    String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const projectUrl = (template, id) => template.replace(/0\/$/, `${id}/`);
  const money = (wan, yi) =>
    yi
      ? (wan / 10000).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : wan.toLocaleString("zh-CN", { maximumFractionDigits: 2 });

  function instance(kind, el) {
    const old = charts.get(kind);
    if (old && old.getDom() !== el) old.dispose();
    const chart = echarts.getInstanceByDom(el) || echarts.init(el);
    charts.set(kind, chart);
    return chart;
  }

  // [minLon, minLat, maxLon, maxLat] of nested GeoJSON coordinate arrays, grown from `box`.
  function extent(coords, box) {
    if (typeof coords[0] === "number") {
      box[0] = Math.min(box[0], coords[0]); box[1] = Math.min(box[1], coords[1]);
      box[2] = Math.max(box[2], coords[0]); box[3] = Math.max(box[3], coords[1]);
    } else {
      coords.forEach((c) => extent(c, box));
    }
    return box;
  }

  // ---- the battle map: points are [lon, lat, id, stage, lag, total 万元, completion %, unit index, name, owner]
  const SIZES = [28, 22, 16, 11, 7]; // symbol sizes by total investment, largest first so small ones stay on top
  // The size legend: bucket k (from the largest) holds totals of at least maxTotal × ((4 − k) / 5)², as `bucket`
  // below computes them; the smallest bucket holds the rest.
  function sizeLegend(el, data, shrink) {
    const box = document.querySelector("[data-size-legend]");
    if (!box) return;
    const maxTotal = Math.max(1, ...data.points.map((p) => p[5]));
    const rows = SIZES.map((size, k) => {
      const from = k < SIZES.length - 1 ? maxTotal * ((SIZES.length - 1 - k) / SIZES.length) ** 2 : 0;
      const d = Math.round(size * shrink);
      const text = k < SIZES.length - 1 ? `≥ ${money(from, data.yi)}` : `< ${money(maxTotal * (1 / SIZES.length) ** 2, data.yi)}`;
      return `<span><i style="width:${d}px;height:${d}px"></i>${esc(text)}</span>`;
    });
    box.innerHTML = `<strong>${esc(data.labels.size)}（${esc(data.labels.money)}）</strong>` + rows.join("");
  }

  function mapOption(el, data, boundary) {
    const L = data.labels;
    const dark = el.dataset.theme === "dark";
    const maxTotal = Math.max(1, ...data.points.map((p) => p[5]));
    const bucket = (p) => SIZES.length - 1 - Math.min(SIZES.length - 1, Math.floor(SIZES.length * Math.sqrt(Math.max(p[5], 0) / maxTotal)));
    const byLag = document.querySelector(".map-colour input:checked")?.value === "lag"; // the browser may restore it
    const names = byLag ? data.lags : data.stages;
    const colours = byLag ? LAG_COLOURS : STAGE_COLOURS;
    const key = byLag ? (p) => p[4] : (p) => p[3] - 1;
    // One series per colour and size: ECharts' large mode draws thousands of symbols in one path, but only of one
    // style. Series of the same name share their legend entry.
    const groups = SIZES.map(() => names.map(() => []));
    data.points.forEach((p) => groups[bucket(p)][key(p)].push(p));
    const coordinateSystem = boundary ? "geo" : "cartesian2d";
    const shrink = data.points.length > 1000 ? 0.6 : 1; // a crowded map needs smaller symbols to stay readable
    sizeLegend(el, data, shrink);
    const series = [];
    groups.forEach((byName, size) => byName.forEach((points, i) => {
      if (!points.length) return;
      series.push({
        name: names[i], type: "scatter", coordinateSystem, data: points, symbolSize: Math.round(SIZES[size] * shrink),
        large: true, largeThreshold: 0,
        itemStyle: { color: colours[i], borderColor: "#fff", borderWidth: 0.6, opacity: 0.9 },
      });
    }));
    const tooltip = {
      trigger: "item", confine: true,
      formatter: (p) => {
        const v = p.value;
        return `<strong>${esc(v[8])}</strong><br>${esc(L.owner)}：${esc(v[9] || "—")}<br>` +
          `${esc(L.unit)}：${esc(data.units[v[7]] || "—")}<br>${esc(L.stage)}：${esc(data.stages[v[3] - 1])}<br>` +
          `${esc(L.total)}：${money(v[5], data.yi)} ${esc(L.money)}<br>` +
          `${esc(L.completion)}：${v[6] == null ? "—" : v[6] + "%"}<br>${esc(L.lag)}：${esc(data.lags[v[4]])}`;
      },
    };
    const option = {
      animation: false, tooltip, series,
      legend: { type: "scroll", top: 4, data: names, itemWidth: 12, itemHeight: 12, textStyle: { color: dark ? "#e2e8f0" : "#1f2937", fontSize: dark ? 16 : 12 } },
      color: colours,
      backgroundColor: "transparent",
    };
    if (boundary) {
      const box = extent(boundary.features.map((f) => f.geometry.coordinates), [Infinity, Infinity, -Infinity, -Infinity]);
      data.points.forEach((p) => extent([p[0], p[1]], box));
      const aspectScale = Math.cos(((box[1] + box[3]) / 2) * (Math.PI / 180));
      // Fix the longer side of the zone to the box and let ECharts keep its shape: four sides would stretch it.
      const wide = ((box[2] - box[0]) * aspectScale) / Math.max(box[3] - box[1], 1e-9) > el.clientWidth / Math.max(el.clientHeight - 52, 1);
      const place = wide ? { left: 12, right: 12, top: "middle" } : { top: 40, bottom: 12, left: "center" };
      option.geo = {
        map: boundary.name, roam: true, aspectScale, ...place,
        boundingCoords: [[box[0], box[3]], [box[2], box[1]]],
        itemStyle: { areaColor: dark ? "#13284a" : "#f1f5f9", borderColor: dark ? "#f87171" : "#b91c1c", borderWidth: 2 },
        label: { show: false },
        // Parks (一区多园): their own outline, dashed, with the park's name in the middle.
        regions: boundary.parks.map((name) => ({
          name,
          itemStyle: { areaColor: dark ? "rgba(56, 189, 248, .12)" : "rgba(37, 99, 235, .07)", borderColor: dark ? "#38bdf8" : "#2563eb", borderWidth: 1.5, borderType: "dashed" },
          label: { show: true, color: dark ? "#bae6fd" : "#1e3a8a", fontSize: dark ? 20 : 13, fontWeight: "bold", textBorderColor: dark ? "#0b1424" : "#fff", textBorderWidth: 3 },
        })),
        silent: true, // no hover on the outline; a tooltip setting here would also silence the points on it
      };
    } else {
      option.grid = { top: 44, left: 12, right: 24, bottom: 30, containLabel: true };
      option.xAxis = {
        type: "value", scale: true, name: L.lon, nameLocation: "middle", nameGap: 26,
        splitLine: { lineStyle: { type: "dashed", color: dark ? "#1e3a5f" : "#e5e7eb" } },
        axisLabel: { color: dark ? "#cbd5e1" : "#475569" }, nameTextStyle: { color: dark ? "#cbd5e1" : "#475569" },
      };
      option.yAxis = {
        type: "value", scale: true, name: L.lat, splitLine: { lineStyle: { type: "dashed", color: dark ? "#1e3a5f" : "#e5e7eb" } },
        axisLabel: { color: dark ? "#cbd5e1" : "#475569" }, nameTextStyle: { color: dark ? "#cbd5e1" : "#475569" },
      };
      option.dataZoom = [{ type: "inside", xAxisIndex: 0 }, { type: "inside", yAxisIndex: 0 }];
    }
    return option;
  }

  function drawMap() {
    const el = document.querySelector('[data-project-chart="map"]');
    const data = json("project-map-data");
    if (!el || !data) return;
    let boundary = null;
    const geojson = json("project-map-boundary");
    if (geojson) {
      echarts.registerMap("luoshi-zone", geojson);
      const parks = geojson.features.filter((f) => f.properties && f.properties.kind === "park").map((f) => f.properties.name);
      boundary = { name: "luoshi-zone", features: geojson.features, parks };
    }
    if (!data.points.length) return; // the page says why there is nothing to draw
    const chart = instance("map", el);
    chart.off("finished");
    chart.on("finished", () => {
      // Read by bench/projects_map.py: the moment the first full render is on screen.
      if (window.mapRendered == null) window.mapRendered = performance.now();
    });
    chart.off("click");
    chart.on("click", { seriesType: "scatter" }, (p) => window.location.assign(projectUrl(data.detail, p.value[2])));
    chart.setOption(mapOption(el, data, boundary), true);
  }

  // ---- the Gantt: rows are [id, name, depth, lag]; segments [row, start, end, stage, lane 0 plan / 1 actual]
  function ganttOption(el, data) {
    const L = data.labels;
    const perStage = data.stages.map(() => []);
    data.segments.forEach((s) => perStage[s[3] - 1].push([s[0], +new Date(s[1]), +new Date(s[2]), s[3], s[4]]));
    const renderItem = (params, api) => {
      const row = api.value(0), lane = api.value(4);
      const start = api.coord([api.value(1), row]), end = api.coord([api.value(2), row]);
      const band = api.size([0, 1])[1];
      const h = band * 0.3;
      const y = start[1] - band * 0.34 + lane * (h + band * 0.08);
      const fill = STAGE_COLOURS[api.value(3) - 1];
      const style = lane === 0 ? { fill, opacity: 0.4, stroke: fill } : { fill };
      if (end[0] - start[0] < 2) {
        const x = start[0];
        return { type: "polygon", shape: { points: [[x, y], [x + h / 2, y + h / 2], [x, y + h], [x - h / 2, y + h / 2]] }, style };
      }
      const c = params.coordSys;
      const shape = echarts.graphic.clipRectByRect(
        { x: start[0], y, width: end[0] - start[0], height: h }, { x: c.x, y: c.y, width: c.width, height: c.height });
      return shape && { type: "rect", shape, style };
    };
    const day = (t) => echarts.time.format(t, "{yyyy}-{MM}-{dd}", false);
    const series = data.stages.map((name, i) => ({
      name, type: "custom", renderItem, data: perStage[i], encode: { x: [1, 2], y: 0 },
      itemStyle: { color: STAGE_COLOURS[i] },
      tooltip: {
        formatter: (p) => {
          const [row, from, to, , lane] = p.value;
          const when = from === to ? day(from) : `${day(from)} ～ ${day(to)}`;
          return `<strong>${esc(data.rows[row][1])}</strong><br>${esc(name)} · ${esc(lane ? L.actual : L.planned)}：${when}`;
        },
      },
    }));
    series[0].markLine = {
      silent: true, symbol: "none", animation: false,
      lineStyle: { color: "#b91c1c", type: "dashed", width: 1.5 },
      label: { formatter: L.today, position: "end", color: "#b91c1c" },
      data: [{ xAxis: +new Date(data.today) }],
    };
    const rich = Object.fromEntries(LAG_COLOURS.map((color, i) => [`l${i}`, { color, fontSize: 14 }]));
    return {
      animation: false,
      tooltip: { trigger: "item", confine: true },
      legend: { type: "scroll", top: 0, data: data.stages },
      grid: { top: 56, left: 8, right: 24, bottom: 36, containLabel: true },
      xAxis: { type: "time", position: "top", splitLine: { show: true, lineStyle: { type: "dashed" } } },
      yAxis: {
        type: "category", inverse: true, triggerEvent: true, data: data.rows.map((_, i) => String(i)),
        axisLabel: {
          width: el.clientWidth < 600 ? 96 : 180, overflow: "truncate", rich,
          formatter: (i) => { const r = data.rows[i]; return `{l${r[3]}|●} ${r[2] ? "↳ " : ""}${r[1]}`; },
        },
      },
      dataZoom: [
        { type: "inside", xAxisIndex: 0, filterMode: "weakFilter" },
        { type: "slider", xAxisIndex: 0, filterMode: "weakFilter", height: 16, bottom: 6 },
      ],
      series,
    };
  }

  function drawGantt() {
    const el = document.querySelector('[data-project-chart="gantt"]');
    const data = json("project-gantt-data");
    if (!el || !data) return;
    const chart = instance("gantt", el);
    chart.off("click");
    chart.on("click", (p) => {
      const row = p.componentType === "yAxis" ? Number(p.value) : p.value?.[0];
      if (row != null && data.rows[row]) window.location.assign(projectUrl(data.detail, data.rows[row][0]));
    });
    chart.setOption(ganttOption(el, data), true);
  }

  function draw() {
    if (!window.echarts) return;
    drawMap();
    drawGantt();
  }

  // Deferred scripts run after the stylesheet is in, so the containers have their size by DOMContentLoaded.
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  // A new shape of the box (a phone turned, full screen) may change which side of the zone fits it: redraw.
  let resizing = null;
  const redraw = () => {
    charts.forEach((c) => c.resize());
    clearTimeout(resizing);
    resizing = setTimeout(drawMap, 150);
  };
  window.addEventListener("resize", redraw);
  document.addEventListener("fullscreenchange", redraw);
  document.addEventListener("change", (event) => {
    if (event.target.closest(".map-colour")) drawMap();
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-fullscreen]");
    if (!button) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else document.getElementById(button.dataset.fullscreen)?.requestFullscreen?.();
  });
})();
