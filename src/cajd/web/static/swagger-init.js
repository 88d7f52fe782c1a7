// Swagger UI for /api/docs, from the vendored swagger-ui-dist: a file of its own rather than an
// inline script, so that the Content-Security-Policy can forbid inline scripts.
window.addEventListener("load", function () {
  window.ui = window.SwaggerUIBundle({
    // From the page (a static copy rewrites it to a relative path).
    url: document.getElementById("swagger-ui").dataset.spec || "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
