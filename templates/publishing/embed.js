/* Policy Builder: makes each embedded privacy policy frame as tall as the policy in it.

   Paste with a frame marked data-policy-embed:
     <iframe src="…/policies/<id>/embed/" title="Privacy policy" width="100%" height="600" data-policy-embed></iframe>
     <script src="…/embed.js" async></script>

   The framed page posts its height. A message is heeded only when it comes from this script's
   own origin (read from the script's address) and from one of the frames marked
   data-policy-embed whose address is on that origin; the height is kept between 100 and
   100,000 pixels. With ?font=inherit in the frame's address, the frame is sent this page's
   font-family list, which it applies only if it is a plain list of names. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !window.URL) return;
  var origin;
  try { origin = new URL(script.src).origin; } catch (e) { return; }
  var MIN_HEIGHT = 100;
  var MAX_HEIGHT = 100000;
  var FONT_LIST = /^[A-Za-z0-9 ,'"-]{1,200}$/;

  function address(frame) {
    try { return new URL(frame.src, document.baseURI); } catch (e) { return null; }
  }

  function frames() {
    var found = [];
    var all = document.querySelectorAll("iframe[data-policy-embed]");
    for (var i = 0; i < all.length; i++) {
      var url = address(all[i]);
      if (url && url.origin === origin) found.push(all[i]);
    }
    return found;
  }

  function frameOf(source) {
    var ours = frames();
    for (var i = 0; i < ours.length; i++) {
      if (ours[i].contentWindow === source) return ours[i];
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "policybuilder:height") return;
    var frame = frameOf(event.source);
    if (!frame) return;
    var height = Number(data.height);
    if (!isFinite(height)) return;
    height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height)));
    frame.style.height = height + "px";
    frame.style.border = "0";
    var url = address(frame);
    if (url && url.searchParams.get("font") === "inherit") {
      var family = window.getComputedStyle(frame.parentNode || document.body).fontFamily;
      if (FONT_LIST.test(family)) {
        event.source.postMessage({ type: "policybuilder:font", fontFamily: family }, origin);
      }
    }
  });

  // A frame that loaded before this script did has already posted its height: ask again. One
  // still loading shows about:blank (readable from here) and will post once it has loaded.
  function loaded(frame) {
    try { return frame.contentWindow.location.href !== "about:blank"; } catch (e) { return true; }
  }
  var ours = frames();
  for (var i = 0; i < ours.length; i++) {
    if (ours[i].contentWindow && loaded(ours[i])) {
      ours[i].contentWindow.postMessage({ type: "policybuilder:measure" }, origin);
    }
  }
})();
