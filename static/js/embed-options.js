/* The review page's embed options: changing a choice updates both snippets and the example at
   once (without the script, "Show these options" reloads the page with them). */
(function () {
  "use strict";
  var form = document.getElementById("embed-options");
  if (!form) return;
  var example = document.getElementById("embed-example");
  var snippets = [document.getElementById("snippet-resizing"), document.getElementById("snippet-iframe")];
  var DEFAULTS = { theme: "light", font: "policy" };
  var EMBED_ADDRESS = /(\/embed\/)(\?[^"\s]*)?/;

  function query() {
    var pairs = [];
    ["theme", "font"].forEach(function (name) {
      var value = form.elements[name].value;
      if (value !== DEFAULTS[name]) pairs.push(name + "=" + encodeURIComponent(value));
    });
    return pairs.length ? "?" + pairs.join("&") : "";
  }

  function update() {
    var q = query();
    snippets.forEach(function (field) {
      if (field) field.value = field.value.replace(EMBED_ADDRESS, "$1" + q.replace(/&/g, "&amp;"));
    });
    if (example) example.src = example.getAttribute("src").replace(EMBED_ADDRESS, "$1" + q);
  }

  form.addEventListener("change", update);
  var show = document.getElementById("embed-options-show");
  if (show) show.hidden = true;  // the choices apply as they are made
})();
