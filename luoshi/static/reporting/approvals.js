// The approvals queue: "全选" ticks every row of its section, the counter and the button follow the ticks, and
// the one confirmation names how many reports the batch holds.
(function () {
  function boxes(verb) {
    return Array.from(document.querySelectorAll('input[name="report"][form="batch-' + verb + '"]'));
  }
  function refresh(verb) {
    const ticked = boxes(verb).filter((box) => box.checked).length;
    const form = document.getElementById("batch-" + verb);
    if (!form) return;
    const counter = form.querySelector("[data-selected-count]");
    if (counter) counter.textContent = counter.dataset.template.replace("{n}", ticked);
    const all = form.querySelector("[data-select-all]");
    if (all) {
      all.checked = ticked > 0 && ticked === boxes(verb).length;
      all.indeterminate = ticked > 0 && ticked < boxes(verb).length;
    }
    form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = ticked === 0; });
    form.dataset.confirm = form.dataset.confirmTemplate.replace("{n}", ticked);
  }
  document.addEventListener("change", (event) => {
    const el = event.target;
    if (!el.matches) return;
    if (el.matches("[data-select-all]")) {
      boxes(el.dataset.selectAll).forEach((box) => { box.checked = el.checked; });
      refresh(el.dataset.selectAll);
    } else if (el.matches('input[name="report"][form^="batch-"]')) {
      refresh(el.getAttribute("form").slice("batch-".length));
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-confirm-template]").forEach((form) => refresh(form.id.slice("batch-".length)));
  });
})();
