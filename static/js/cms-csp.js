// The CMS under a Content Security Policy with no inline scripts: Wagtail's widgets and panels that
// would start themselves with an inline <script> leave a [data-lms-init] marker instead (see
// templates/wagtailadmin/), and this file makes the same call, also for markup added later.
(() => {
  const constructors = new Set(["InlinePanel", "MultipleChooserPanel"]);
  // Choosers take the id of their input and their options: new SnippetChooser(id, options).
  const choosers = new Set(["SnippetChooser"]);

  function start(marker) {
    if (marker.dataset.lmsStarted) return;
    const name = marker.dataset.lmsInit;
    const target = window[name];
    if (typeof target !== "function") return;
    marker.dataset.lmsStarted = "true";
    const config = JSON.parse(marker.dataset.lmsConfig || "{}");
    if (constructors.has(name)) {
      new target(config);
    } else if (choosers.has(name)) {
      new target(marker.dataset.lmsTarget, config);
    } else {
      target(marker.dataset.lmsTarget, config);
    }
  }

  function startAll(root) {
    root.querySelectorAll("[data-lms-init]").forEach(start);
  }

  document.addEventListener("DOMContentLoaded", () => {
    startAll(document);
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        mutation.addedNodes.forEach((node) => {
          if (node.nodeType !== Node.ELEMENT_NODE) return;
          if (node.matches("[data-lms-init]")) start(node);
          startAll(node);
        });
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
