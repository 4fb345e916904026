/* Policy Builder's only script. Everything works without it; with it:
   dependent questions show and hide as people answer, suggested answers are
   one click, the preview follows
   unsaved answers (scrolled to what changed), links copy to the clipboard, and PDFs download in the
   background with a progress message. No third-party code, no inline script. */
(function () {
  "use strict";

  function valuesOf(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) return;
      values.push(input.value);
    });
    return values;
  }

  function holds(form, condition) {
    var values = valuesOf(form, condition.field);
    var expected = condition.value;
    if (typeof expected === "boolean") expected = expected ? "yes" : "no";
    if (condition.op === "is") return values.indexOf(String(expected)) !== -1;
    if (condition.op === "in") return expected.some(function (v) { return values.indexOf(v) !== -1; });
    if (condition.op === "has") return values.indexOf(expected) !== -1;
    if (condition.op === "nonempty") return values.length > 0;
    if (condition.op === "not_only") return !(values.length === 1 && values[0] === expected);
    return true;
  }

  function updateDependents(form) {
    var seen = {};
    form.querySelectorAll("[data-when]").forEach(function (input) {
      if (seen[input.name]) return;
      seen[input.name] = true;
      var conditions = JSON.parse(input.getAttribute("data-when"));
      var visible = conditions.some(function (c) { return holds(form, c); });
      var wrapper = document.getElementById("div_id_" + input.name) || input.closest(".mb-3");
      if (wrapper) wrapper.hidden = !visible;
    });
  }

  // The live preview follows the change: the policy is longer than its box, so after each update
  // the box scrolls to the first sentence that changed and marks what changed (briefly; a still
  // mark for people who prefer reduced motion). Focus stays where the person is typing.
  var BLOCKS = "h2, h3, h4, p, li, tr, dt, dd";
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // Each part of the policy (its header, then each section) with the text of each block in it.
  function previewBlocks(preview) {
    var parts = Object.create(null);  // keyed by id: no inherited names such as "constructor"
    preview.querySelectorAll(".policy-header, .policy-section").forEach(function (part) {
      var heading = part.querySelector("h2");
      parts[part.id || "header"] = {
        element: part,
        title: part.id ? (heading ? heading.textContent.trim() : "") : "the title",
        blocks: Array.prototype.map.call(part.querySelectorAll(BLOCKS), function (el) {
          return {element: el, text: el.textContent.replace(/\s+/g, " ").trim()};
        }).filter(function (block) { return block.text && !block.element.closest(".back-to-top"); })
      };
    });
    return parts;
  }

  // The blocks of the new preview whose text the old one did not have, by part; a part that only
  // lost text is marked by its heading. Returns [{element, title}] in reading order.
  function markChanges(before, after) {
    var changed = [];
    Object.keys(after).forEach(function (id) {
      var part = after[id];
      var old = before[id];
      var remaining = Object.create(null);  // keyed by text, which may be any words at all
      (old ? old.blocks : []).forEach(function (b) { remaining[b.text] = (remaining[b.text] || 0) + 1; });
      var marked = 0;
      part.blocks.forEach(function (block) {
        if (remaining[block.text]) { remaining[block.text]--; return; }
        block.element.classList.add("preview-changed");
        if (!marked++) changed.push({element: block.element, title: part.title});
      });
      var lost = Object.keys(remaining).some(function (text) { return remaining[text] > 0; });
      if (!marked && lost) {
        var heading = part.element.querySelector("h2") || part.element;
        heading.classList.add("preview-changed");
        changed.push({element: heading, title: part.title});
      }
    });
    var removed = Object.keys(before).filter(function (id) { return !after[id]; });
    removed.forEach(function (id) { changed.push({element: null, title: before[id].title, removed: true}); });
    return changed;
  }

  function scrollPreviewTo(preview, element) {
    if (!element) return;
    // With its section's heading when that fits, so the person knows where in the policy it is.
    var section = element.closest(".policy-section");
    if (section && element.getBoundingClientRect().top - section.getBoundingClientRect().top < preview.clientHeight / 2) {
      element = section;
    }
    preview.scrollTo({top: offsetIn(preview, element), behavior: reducedMotion ? "auto" : "smooth"});
  }

  // Where the box must scroll for an element to sit at its top, below the pinned "This page changes".
  function offsetIn(preview, element) {
    var pinned = preview.querySelector(".preview-shapes");
    var margin = 12 + (pinned ? pinned.offsetHeight : 0);
    return Math.max(0, element.getBoundingClientRect().top - preview.getBoundingClientRect().top + preview.scrollTop - margin);
  }

  function listed(titles) {
    if (titles.length < 2) return titles.join("");
    return titles.slice(0, -1).join(", ") + " and " + titles[titles.length - 1];
  }

  function changeSummary(changed) {
    if (!changed.length) return "Preview updated: the policy reads the same.";
    var updated = changed.filter(function (c) { return !c.removed; }).map(function (c) { return c.title; });
    var removed = changed.filter(function (c) { return c.removed; }).map(function (c) { return c.title; });
    var words = [];
    if (updated.length) words.push("changed in " + listed(updated));
    if (removed.length) words.push(listed(removed) + " left out");
    return "Preview updated: " + words.join("; ") + ".";
  }

  // On a phone the preview is below the questions: what changed is quoted at the foot of the
  // screen, with a link to see it in place. Never takes focus; the status above is what is read out.
  var toastTimer = null;
  function hideToast(toast) {
    toast.hidden = true;
    document.body.classList.remove("has-preview-toast");
  }

  function showChangeOutOfSight(preview, changed) {
    var toast = document.getElementById("preview-toast");
    var first = changed.filter(function (c) { return c.element; })[0];
    if (!toast) return;
    // The box scrolls the change to its top: is that top (and a line of text) on screen?
    var box = preview.getBoundingClientRect();
    var inSight = box.top >= -20 && box.top + 80 < window.innerHeight;
    if (!first || inSight) { hideToast(toast); return; }
    var text = first.element.textContent.replace(/\s+/g, " ").trim();
    document.getElementById("preview-toast-where").textContent = "Changed in " + (first.title || "your policy") + ":";
    document.getElementById("preview-toast-text").textContent = text.length > 160 ? text.slice(0, 157) + "…" : text;
    toast.hidden = false;
    document.body.classList.add("has-preview-toast");  // room below, so it never covers the last field
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      if (!toast.matches(":hover, :focus-within")) hideToast(toast);
    }, 12000);
  }

  function setupPreviewToast(preview) {
    var toast = document.getElementById("preview-toast");
    if (!toast) return;
    document.getElementById("preview-toast-close").addEventListener("click", function () { hideToast(toast); });
    document.getElementById("preview-toast-show").addEventListener("click", function (event) {
      event.preventDefault();
      hideToast(toast);
      var first = preview.querySelector(".preview-changed");
      var heading = document.getElementById("preview-heading");
      heading.scrollIntoView({behavior: reducedMotion ? "auto" : "smooth"});
      heading.focus({preventScroll: true});  // keyboard users continue from the preview; a link leads back
      if (first) scrollPreviewTo(preview, first);
    });
  }

  // Before any change: the sections this page's answers shape, marked, with the box opened on the first.
  function showShapedSections(preview) {
    var list = preview.querySelector("[data-shaped]");
    if (!list) return;
    var first = null;
    list.getAttribute("data-shaped").split(" ").forEach(function (id) {
      var section = document.getElementById(id);
      if (!section || !preview.contains(section)) return;
      section.classList.add("preview-shaped");
      first = first || section;
    });
    if (first) preview.scrollTop = offsetIn(preview, first);
  }

  function setupStepForm(form) {
    var previewUrl = form.getAttribute("data-preview-url");
    var preview = document.getElementById("preview");
    var status = document.getElementById("preview-status");
    var timer = null;
    var pending = null;
    var typing = false;  // the refresh under way was asked for by typing in a text box

    function refreshPreview() {
      if (!previewUrl || !preview) return;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(previewUrl, {method: "POST", body: new FormData(form), signal: pending.signal,
                         headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var before = previewBlocks(preview);
          preview.innerHTML = html;
          var changed = markChanges(before, previewBlocks(preview));
          preview.setAttribute("data-updated", String(Date.now()));
          if (changed.length) scrollPreviewTo(preview, changed[0].element);
          if (status) status.textContent = changeSummary(changed);
          // Not while someone types: the note would cover the box; it comes when they leave it.
          if (!typing) showChangeOutOfSight(preview, changed);
        })
        .catch(function (error) { if (error && error.name === "AbortError") return; });
    }

    function changed(event) {
      if (event && event.target && event.target.hasAttribute("data-service-search")) return;
      typing = event.type === "input" && /^(TEXTAREA|INPUT)$/.test(event.target.tagName) &&
        !/^(checkbox|radio)$/.test(event.target.type);
      updateDependents(form);
      clearTimeout(timer);
      timer = setTimeout(refreshPreview, 350);
    }

    if (preview) {
      showShapedSections(preview);
      setupPreviewToast(preview);
    }
    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    updateDependents(form);
    form.querySelectorAll("[data-service-picker]").forEach(setupServicePicker);
    form.querySelectorAll("[data-service-rows]").forEach(setupServiceRows);

    // "Use this answer" chooses the suggested radio button; it never chooses on its own.
    form.querySelectorAll(".suggestion-accept").forEach(function (button) {
      var input = form.querySelector('input[name="' + button.getAttribute("data-field") +
                                     '"][value="' + button.getAttribute("data-value") + '"]');
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        input.checked = true;
        input.dispatchEvent(new Event("change", {bubbles: true}));
        input.focus();
        var suggestion = button.closest(".suggestion");
        if (suggestion) suggestion.hidden = true;  // chosen: the suggestion has done its work
      });
    });
  }

  function folded(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // The catalogue's search box: shows the services whose name, company or kind matches.
  // A service already chosen stays in view, so nobody unchooses what they cannot see.
  function setupServicePicker(picker) {
    var box = picker.querySelector("[data-service-search-box]");
    var input = picker.querySelector("[data-service-search]");
    var status = picker.querySelector("[data-service-search-status]");
    var none = picker.querySelector("[data-service-none]");
    if (!box || !input) return;
    box.hidden = false;
    var timer = null;
    function filter() {
      var query = folded(input.value.trim());
      var matches = 0;
      picker.querySelectorAll("[data-service-group]").forEach(function (group) {
        var kind = folded(group.querySelector("legend").textContent);
        var visible = false;
        group.querySelectorAll("[data-service-option]").forEach(function (option) {
          var match = !query || kind.indexOf(query) !== -1 || folded(option.textContent).indexOf(query) !== -1;
          option.hidden = !(match || option.querySelector("input").checked);
          if (match && query) matches++;
          visible = visible || !option.hidden;
        });
        group.hidden = !visible;
      });
      none.hidden = !query || matches > 0;
      clearTimeout(timer);
      timer = setTimeout(function () {
        status.textContent = !query ? "" : matches === 1 ? "1 service matches." :
          matches === 0 ? "No service matches." : matches + " services match.";
      }, 400);
    }
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // searching never submits the page
      if (event.key === "Escape" && input.value) { input.value = ""; filter(); }
    });
  }

  // Rows for services not in the list: the filled ones show; "Add a service" shows one more.
  function setupServiceRows(container) {
    var button = container.querySelector("[data-add-service]");
    var max = Number(container.getAttribute("data-max-rows"));
    function rows() { return Array.prototype.slice.call(container.querySelectorAll("[data-service-row]")); }
    function isEmpty(row) {
      return Array.prototype.every.call(row.querySelectorAll("input, select"), function (el) { return !el.value; });
    }
    function update() { button.hidden = rows().filter(function (r) { return !r.hidden; }).length >= max; }
    rows().forEach(function (row) {
      if (isEmpty(row) && !row.querySelector(".is-invalid")) row.hidden = true;
    });
    button.addEventListener("click", function () {
      var all = rows();
      var next = all.filter(function (r) { return r.hidden; })[0];
      if (!next) {
        var last = all[all.length - 1];
        var index = all.length;
        next = last.cloneNode(true);
        next.querySelectorAll("[id], [name], [for]").forEach(function (el) {
          ["id", "name", "for"].forEach(function (attr) {
            var value = el.getAttribute(attr);
            if (value) el.setAttribute(attr, value.replace(/-\d+-(\w+)$/, "-" + index + "-$1"));
          });
          if (el.value !== undefined && el.tagName !== "OPTION") el.value = "";
          el.classList.remove("is-invalid");
        });
        next.querySelector("legend").textContent = "Service " + (index + 1);
        last.after(next);
      }
      next.hidden = false;
      next.querySelector("input").focus();
      update();
    });
    update();
  }

  function setupCopy(button) {
    button.addEventListener("click", function () {
      var field = document.querySelector(button.getAttribute("data-copy"));
      var status = document.getElementById("copy-status");
      function done(ok) { if (status) status.textContent = ok ? "Link copied." : "Select the link and copy it."; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(false); });
      } else {
        field.select();
        done(document.execCommand && document.execCommand("copy"));
      }
    });
  }

  function setupAsyncDownload(link) {
    link.addEventListener("click", function (event) {
      if (!window.fetch || !window.URL || !URL.createObjectURL) return;  // plain download
      event.preventDefault();
      if (link.getAttribute("aria-busy") === "true") return;
      var status = document.getElementById("download-status");
      link.setAttribute("aria-busy", "true");
      link.classList.add("is-busy");
      if (status) status.textContent = "Preparing your " + link.textContent.trim() + "…";
      fetch(link.href, {credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          var disposition = response.headers.get("Content-Disposition") || "";
          var match = /filename="([^"]+)"/.exec(disposition);
          return response.blob().then(function (blob) { return {blob: blob, name: match ? match[1] : "policy"}; });
        })
        .then(function (file) {
          var url = URL.createObjectURL(file.blob);
          var a = document.createElement("a");
          a.href = url;
          a.download = file.name;
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          if (status) status.textContent = "Your " + link.textContent.trim() + " is ready.";
        })
        .catch(function () {
          if (status) status.textContent = "The download failed. Please try again.";
        })
        .then(function () {
          link.removeAttribute("aria-busy");
          link.classList.remove("is-busy");
        });
    });
  }

  // A scan's progress: asks the server every 1.5 s and reloads the page once the scan has finished,
  // so the results are the server's own page. Without JavaScript, <noscript> refreshes the page.
  function setupScanProgress(section) {
    var url = section.getAttribute("data-status-url");
    var bar = section.querySelector("progress");
    var text = document.getElementById("scan-progress-text");
    var problem = document.getElementById("scan-problem");
    var heading = document.getElementById("scan-progress-heading");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (state) {
          if (state.finished) {
            window.location.reload();
            return;
          }
          if (heading.textContent !== state.label) heading.textContent = state.label;
          bar.max = state.pages_planned;
          bar.value = state.pages_done;
          var words = state.status === "queued" ? "The scan starts in a moment." :
            state.pages_done + " of up to " + state.pages_planned + " pages" +
            (state.current_page ? ": now " + state.current_page : "") + ".";
          if (text.textContent !== words) text.textContent = words;
          problem.textContent = state.problem;
          problem.classList.toggle("d-none", !state.problem);
          window.setTimeout(poll, 1500);
        })
        .catch(function () {
          problem.textContent = "We lost touch with the server. Reload the page to see where the scan is.";
          problem.classList.remove("d-none");
        });
    }
    window.setTimeout(poll, 1000);
  }

  // On the first page, the address typed as the website is the one to scan, until another is typed.
  function setupScanAddress(scanInput) {
    // The address belongs to the page's form: Enter there would press "Save and continue".
    var scanButton = document.getElementById("scan-button");
    scanInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && scanButton) {
        event.preventDefault();
        scanButton.click();
      }
    });
    var website = document.getElementById("id_organization__website");
    if (!website) return;
    var mirrored = scanInput.value === "" || scanInput.value === website.value;
    scanInput.addEventListener("input", function () { mirrored = false; });
    website.addEventListener("input", function () { if (mirrored) scanInput.value = website.value; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var scanAddress = document.getElementById("scan-url");
    if (scanAddress && scanAddress.getAttribute("form") === "step-form") setupScanAddress(scanAddress);
    var scanProgress = document.getElementById("scan-progress");
    if (scanProgress) setupScanProgress(scanProgress);
    var form = document.getElementById("step-form");
    if (form) setupStepForm(form);
    document.querySelectorAll("[data-copy]").forEach(setupCopy);
    document.querySelectorAll("[data-async-download]").forEach(setupAsyncDownload);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
