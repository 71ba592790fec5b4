// Starts Swagger UI on /api/docs (kept in a file: the pages' CSP allows no inline script).
(function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: node.getAttribute("data-openapi"), dom_id: "#swagger-ui", deepLinking: true });
})();
