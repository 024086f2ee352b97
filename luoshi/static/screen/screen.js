// The big screens (templates/screen_base.html, which reloads itself every few minutes): a clock, and panels
// that rotate ([data-rotate] seconds) unless the mouse is over them or the space bar paused them; the arrow
// keys step by hand.
(() => {
  const clock = document.querySelector("[data-clock]");
  const day = document.querySelector("[data-date]");
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    const now = new Date();
    if (clock) clock.textContent = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
    if (day) day.textContent = `${now.getFullYear()}年${now.getMonth() + 1}月${now.getDate()}日`;
  };
  tick();
  setInterval(tick, 1000);

  const paused = document.querySelector("[data-paused]");
  let held = false; // the space bar's pause
  document.querySelectorAll("[data-rotate]").forEach((box) => {
    const panels = Array.from(box.querySelectorAll(":scope > .bs-panel"));
    if (panels.length < 2) return;
    let shown = 0;
    let hover = false;
    const dots = document.createElement("div");
    dots.className = "bs-dots";
    const show = (i) => {
      shown = (i + panels.length) % panels.length;
      panels.forEach((p, k) => { p.hidden = k !== shown; });
      dots.querySelectorAll("button").forEach((b, k) => b.setAttribute("aria-current", String(k === shown)));
      panels[shown].querySelectorAll("[data-chart]").forEach((el) => window.echarts && echarts.getInstanceByDom(el)?.resize());
    };
    panels.forEach((p, k) => {
      const dot = document.createElement("button");
      dot.type = "button";
      dot.title = p.dataset.title || String(k + 1);
      dot.addEventListener("click", () => show(k));
      dots.appendChild(dot);
    });
    box.appendChild(dots);
    box.addEventListener("mouseenter", () => { hover = true; });
    box.addEventListener("mouseleave", () => { hover = false; });
    document.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight") show(shown + 1);
      if (event.key === "ArrowLeft") show(shown - 1);
    });
    show(0);
    setInterval(() => { if (!hover && !held) show(shown + 1); }, Number(box.dataset.rotate || 15) * 1000);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== " ") return;
    event.preventDefault();
    held = !held;
    if (paused) paused.hidden = !held;
  });
})();
