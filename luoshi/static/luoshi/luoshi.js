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
