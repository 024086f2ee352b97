// The goal pages: the Sankey (added to luoshi.js's chart table: goal → indicators → units, widths in points at
// stake) and the filter of the bulk link list.
(() => {
  // A search box that hides the rows of a long list of items not containing its text (the bulk link list).
  document.addEventListener("input", (event) => {
    const box = event.target.closest && event.target.closest("[data-filter-rows]");
    if (!box) return;
    const text = box.value.trim();
    document.querySelectorAll(`${box.dataset.filterRows} tr`).forEach((row) => {
      row.hidden = text !== "" && !row.textContent.includes(text);
    });
  });
  if (typeof CHARTS === "undefined") return;  // a page without charts
  const COLOURS = { goal: "#b91c1c", indicator: "#1d4ed8", unit: "#0f766e", none: "#94a3b8" };
  CHARTS["goal-sankey"] = (data, narrow = window.innerWidth < 700) => ({
    animation: false,  // every htmx swap (the what-if) redraws the page's charts: no replayed animation
    tooltip: { trigger: "item", valueFormatter: (v) => (v == null ? "—" : v.toFixed(2)) },
    series: [{
      type: "sankey",
      left: 8, right: narrow ? 72 : 160, top: 8, bottom: 8,
      nodeGap: 8,
      emphasis: { focus: "adjacency" },
      label: { fontSize: narrow ? 10 : 12, overflow: "truncate", width: narrow ? 64 : 150 },
      lineStyle: { color: "gradient", opacity: 0.35 },
      data: data.nodes.map((n) => ({ name: n.name, itemStyle: { color: COLOURS[n.kind] } })),
      links: data.links,
    }],
  });
})();
