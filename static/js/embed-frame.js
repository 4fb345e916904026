/* Policy Builder: the embeddable policy page's side of the resizing snippet.

   It tells the page that frames it how tall the policy is, on load and whenever that changes
   (ResizeObserver), with postMessage to the parent and the target origin "*": the parent is any
   site, and the message carries nothing but the height and the policy's public identifier. The
   parent's script (/embed.js) decides whether to believe it.

   With ?font=inherit the parent's script sends back its page's font-family list; it is applied
   only when it is a plain list of names (letters, digits, spaces, commas, quotes, hyphens). */
(function () {
  "use strict";
  if (window.parent === window) return;
  var root = document.documentElement;
  var policy = root.getAttribute("data-policy") || "";
  var FONT_LIST = /^[A-Za-z0-9 ,'"-]{1,200}$/;

  function post() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    window.parent.postMessage({ type: "policybuilder:height", policy: policy, height: height }, "*");
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.type === "policybuilder:measure") {
      post();
    } else if (data.type === "policybuilder:font" && root.getAttribute("data-font") === "inherit" &&
               typeof data.fontFamily === "string" && FONT_LIST.test(data.fontFamily)) {
      document.body.style.fontFamily = data.fontFamily;
    }
  });

  if (typeof ResizeObserver === "function") {
    new ResizeObserver(post).observe(root);
  } else {
    window.addEventListener("resize", post);
  }
  window.addEventListener("load", post);
  post();
})();
