// Collapse and expand plan-tree rows on the client: the whole tree is already on the page.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".tree .toggle");
  if (!toggle) return;
  const row = toggle.closest("tr");
  const path = row.dataset.path;
  const collapse = !row.classList.contains("collapsed");
  row.classList.toggle("collapsed", collapse);
  let next = row.nextElementSibling;
  while (next && next.dataset.path && next.dataset.path.startsWith(path)) {
    if (collapse) {
      next.classList.add("hidden");
    } else {
      next.classList.remove("hidden", "collapsed");
    }
    next = next.nextElementSibling;
  }
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tree-all]");
  if (!button) return;
  const collapse = button.dataset.treeAll === "collapse";
  document.querySelectorAll(".tree tr[data-path]").forEach((row) => {
    const depth = Number(row.dataset.depth);
    row.classList.toggle("hidden", collapse && depth > 1);
    row.classList.toggle("collapsed", collapse && row.dataset.parent === "1");
  });
});

// Charts: a container names its chart and finds its data in a json_script element; htmx swaps redraw it.
const EN = document.documentElement.lang === "en";
const CHARTS = {
  "item-progress": (data) => ({
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + "%") },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.periods, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: EN ? "Planned" : "计划进度", type: "line", data: data.planned, lineStyle: { type: "dashed" }, itemStyle: { color: "#64748b" } },
      { name: EN ? "Reported" : "实际进度", type: "line", data: data.actual, connectNulls: false, itemStyle: { color: "#1d4ed8" } },
    ],
  }),
  "unit-progress": (data) => ({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.units, inverse: true, axisLabel: { interval: 0 } },
    series: [
      { name: EN ? "Done" : "已完成", type: "bar", stack: "n", data: data.done, itemStyle: { color: "#15803d" } },
      { name: EN ? "Open" : "推进中/未开始", type: "bar", stack: "n", data: data.open, itemStyle: { color: "#93c5fd" } },
      { name: EN ? "Overdue" : "逾期", type: "bar", stack: "n", data: data.overdue, itemStyle: { color: "#b91c1c" } },
    ],
  }),
};

function drawCharts(root) {
  if (!window.echarts) return;
  root.querySelectorAll("[data-chart]").forEach((el) => {
    const source = document.getElementById(el.dataset.chart + "-data");
    if (!source || !CHARTS[el.dataset.chart]) return;
    const chart = echarts.getInstanceByDom(el) || echarts.init(el, el.dataset.theme || null);
    chart.setOption(CHARTS[el.dataset.chart](JSON.parse(source.textContent)), true);
  });
}
window.addEventListener("load", () => drawCharts(document));
document.addEventListener("htmx:afterSettle", () => drawCharts(document));
document.addEventListener("toggle", (event) => {
  if (event.target.matches && event.target.matches("details") && event.target.open) {
    event.target.querySelectorAll("[data-chart]").forEach((el) => echarts.getInstanceByDom(el)?.resize());
  }
}, true);
window.addEventListener("resize", () => document.querySelectorAll("[data-chart]").forEach((el) => window.echarts && echarts.getInstanceByDom(el)?.resize()));

// Behaviour that used to sit in inline handlers, which the Content-Security-Policy forbids: forms that ask before
// they submit (data-confirm, on the form or on the button that submits it), selects that submit their form
// (data-autosubmit) or open the address they hold (data-navigate).
document.addEventListener("submit", (event) => {
  const message = (event.submitter && event.submitter.dataset.confirm) || (event.target.dataset && event.target.dataset.confirm);
  if (message && !window.confirm(message)) event.preventDefault();
}, true);
document.addEventListener("change", (event) => {
  const el = event.target;
  if (!el.matches) return;
  if (el.matches("select[data-autosubmit]")) el.form.submit();
  if (el.matches("select[data-navigate]")) window.location = el.value;
});
