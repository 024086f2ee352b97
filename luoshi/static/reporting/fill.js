// The weekly filling page: gap to plan and the backwards-progress prompt as people type, the file input cleared once
// an automatic save has kept its file, "next item" on a phone. The server checks everything again.
(() => {
  const number = (text) => (text === "" || text == null || isNaN(Number(text)) ? null : Number(text));
  const points = (gap) => (gap > 0 ? "+" : "") + (Math.round(gap * 10) / 10).toString();
  const UNIT = document.documentElement.lang === "en" ? " pts" : " 个百分点";

  function check(card) {
    const input = card.querySelector("input[name=progress]");
    if (!input) return;
    const value = number(input.value);
    const previous = number(card.dataset.previous);
    const planned = number(card.dataset.planned);
    const gap = card.querySelector("[data-gap]");
    if (gap && value !== null && planned !== null) {
      gap.textContent = points(value - planned) + UNIT;
      gap.classList.toggle("behind", value - planned < 0);
    }
    const regress = card.querySelector("[data-regress]");
    if (!regress) return;
    const reason = regress.querySelector("input, textarea");
    const backwards = value !== null && previous !== null && value < previous;
    regress.classList.toggle("needed", backwards || regress.querySelector(".errorlist") !== null);
    regress.classList.toggle("fill-hidden", !backwards && !(reason && reason.value.trim()) && !regress.querySelector(".errorlist"));
    if (reason) reason.required = backwards;
  }

  function init(root) {
    root.querySelectorAll("[data-card]").forEach(check);
  }

  document.addEventListener("input", (event) => {
    const card = event.target.closest && event.target.closest("[data-card]");
    if (!card) return;
    if (event.target.name === "progress") check(card);
    if (event.target.name === "work_done") {
      card.querySelector("[data-prefilled]")?.classList.remove("prefilled");
      card.querySelector(".prefill-note")?.remove();
    }
  });
  // An automatic save that kept the text also kept the chosen file: clear the input so it is not sent again.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target && target.classList && target.classList.contains("autosave-status")) {
      if (target.querySelector("[data-saved]")) {
        target.closest("form")?.querySelectorAll("input[type=file]").forEach((file) => { file.value = ""; });
      }
    }
  });
  document.addEventListener("htmx:load", (event) => init(event.detail.elt));
  document.addEventListener("DOMContentLoaded", () => init(document));
  // A phone shows one item per screen: "next" scrolls to the following open item.
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-next-card]");
    if (!button) return;
    const cards = Array.from(document.querySelectorAll(".report-card.open-card"));
    const next = cards[cards.indexOf(button.closest(".report-card")) + 1];
    if (next) {
      next.scrollIntoView({ behavior: "smooth", block: "start" });
      next.querySelector("input[name=progress]")?.focus({ preventScroll: true });
    }
  });
  // "全部报送": what is still being typed is saved first, then the button (redrawn with the new count) asks for
  // confirmation, so nothing typed is left out or handed in stale.
  document.addEventListener("input", (event) => {
    const form = event.target.closest && event.target.closest("[data-card] form");
    if (form) form.dataset.dirty = "1";
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (elt.classList && elt.classList.contains("autosave-status")) delete elt.closest("form").dataset.dirty;
  });
  const busy = () => document.querySelector(".autosave-status.htmx-request, form[data-dirty]");
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-submit-all]");
    if (!button || !busy()) return;
    event.preventDefault();
    event.stopPropagation();
    const bar = button.closest(".fill-bar").id;
    document.querySelectorAll("form[data-dirty] .autosave-status").forEach((status) => htmx.trigger(status, "autosave-now"));
    const started = Date.now();
    const wait = () => {
      if (busy() && Date.now() - started < 15000) return window.setTimeout(wait, 150);
      document.querySelector(`#${bar} [data-submit-all]`)?.click();
    };
    window.setTimeout(wait, 150);
  }, true);
})();
