// Progressive enhancement: redraw each server-rendered SVG figure as an interactive vega-embed
// view (tooltips, links). Without JavaScript, or if the vendored libraries are absent, the SVG stays.
(function () {
  function enhance() {
    if (typeof window.vegaEmbed !== "function") return;
    document.querySelectorAll("figure.chart[data-spec]").forEach(function (figure) {
      // A static copy inlines the spec (a page opened from a disk may not fetch it).
      var inline = figure.querySelector("script.vl-spec");
      var loaded = inline ? Promise.resolve(JSON.parse(inline.textContent))
        : fetch(figure.dataset.spec).then(function (r) { return r.json(); });
      loaded.then(function (spec) {
        var target = document.createElement("div");
        target.className = "vega-target";
        target.setAttribute("role", "img");
        target.setAttribute("aria-label", figure.querySelector(".svg").getAttribute("aria-label"));
        // Drawn in place, so that a "container" width is measured against the real page.
        var fallback = figure.querySelector(".svg");
        figure.insertBefore(target, fallback);
        return window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(function () {
          // vega-embed labels its container "Vega visualization" (English): put the page's own
          // text alternative back, and hide the drawing inside it from assistive technology
          target.setAttribute("role", "img");
          target.setAttribute("aria-label", fallback.getAttribute("aria-label"));
          target.removeAttribute("aria-roledescription");
          target.querySelectorAll("svg").forEach(function (svg) {
            svg.setAttribute("aria-hidden", "true");
          });
          fallback.remove();
          figure.classList.add("interactive");
        }, function () { target.remove(); });
      }).catch(function () { /* keep the server-rendered SVG */ });
    });
  }
  // Filter forms submit as soon as a choice changes.
  document.querySelectorAll("form.filters select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  if (document.readyState === "complete") enhance(); else window.addEventListener("load", enhance);
})();
