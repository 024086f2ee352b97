// The leaders' arena in the browser: the live results chart and the speaking-time clock. Both only add to pages
// that work without them.
(() => {
  // Live results: the polled fragment brings the figures (#arena-results-data); the chart outside it is updated
  // in place (merged, so bars move to their new lengths instead of growing again every few seconds).
  let drawn = "";
  function drawResults() {
    const el = document.querySelector("[data-arena-chart]");
    const source = document.getElementById("arena-results-data");
    if (!el || !source || !window.echarts) return;
    // The big screen polls the chart's container too: a fresh (empty) one is drawn even with the same figures.
    if (source.textContent === drawn && echarts.getInstanceByDom(el)) return;
    drawn = source.textContent;
    const data = JSON.parse(drawn);
    const chart = echarts.getInstanceByDom(el) || echarts.init(el, el.dataset.theme || null);
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: data.units, inverse: true, axisLabel: { interval: 0, fontSize: el.dataset.theme ? 18 : 14 } },
      series: [{
        name: data.label, type: "bar", data: data.scores, itemStyle: { color: "#b91c1c" },
        label: { show: true, position: "right", fontSize: el.dataset.theme ? 18 : 12, formatter: (p) => (p.value == null ? "" : p.value.toFixed(2)) },
      }],
    });
  }
  window.addEventListener("load", drawResults);
  document.addEventListener("htmx:afterSettle", drawResults);
  window.addEventListener("resize", () => {
    const el = document.querySelector("[data-arena-chart]");
    if (el && window.echarts) echarts.getInstanceByDom(el)?.resize();
  });

  // The speaking-time clock: "开始计时" beside a presenter starts their minutes afresh; the clock turns red
  // when the time is up and keeps counting the overrun.
  const timer = document.querySelector("[data-timer]");
  if (!timer) return;
  const clock = timer.querySelector(".timer-clock");
  const who = timer.querySelector(".timer-who");
  const full = Number(timer.dataset.minutes) * 60;
  let left = full;
  let ticking = null;
  const show = () => {
    const s = Math.abs(left);
    clock.textContent = `${left < 0 ? "+" : ""}${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    timer.classList.toggle("over", left < 0);
  };
  const stop = () => { clearInterval(ticking); ticking = null; };
  const start = () => { stop(); ticking = setInterval(() => { left -= 1; show(); }, 1000); };
  timer.hidden = false;
  document.querySelectorAll("[data-timer-start]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      who.textContent = button.dataset.timerStart;
      left = full;
      show();
      start();
      timer.scrollIntoView({ block: "nearest" });
    });
  });
  timer.querySelector("[data-timer-toggle]").addEventListener("click", () => (ticking ? stop() : start()));
})();
