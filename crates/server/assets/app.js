// Chronicle's one script. Pages are whole without it (every fact is a link to
// its evidence); it only highlights the evidence a link names (#s=START-END,
// bytes into the document's text) and shows an annotation's details when one
// is clicked in the text. Served as a file: the CSP allows no inline script.
(function () {
  "use strict";

  function parseHash() {
    var m = /^#s=(\d+)-(\d+)(?:&a=([\w-]+))?$/.exec(window.location.hash);
    return m ? { s: +m[1], e: +m[2], a: m[3] || null } : null;
  }

  function clear(cls) {
    var old = document.querySelectorAll("." + cls);
    for (var i = 0; i < old.length; i++) old[i].classList.remove(cls);
  }

  // The annotation a hash names: by id when given, else the one whose span is
  // exactly the range.
  function findAnnotation(h) {
    if (h.a) {
      var byId = document.getElementById(h.a);
      if (byId) return byId;
    }
    return document.querySelector(
      '#annotations li[data-s="' + h.s + '"][data-e="' + h.e + '"]'
    );
  }

  function showDetails(li, h) {
    var panel = document.getElementById("details");
    if (!panel) return;
    var body = panel.querySelector(".details-body");
    while (body.firstChild) body.removeChild(body.firstChild);
    clear("current");
    if (li) {
      li.classList.add("current");
      var copy = li.cloneNode(true);
      copy.removeAttribute("id");
      body.appendChild(copy);
    } else {
      var p = document.createElement("p");
      p.textContent = "Evidence: bytes " + h.s + "\u2013" + h.e + " of the text.";
      body.appendChild(p);
    }
  }

  function highlight() {
    var text = document.getElementById("text");
    var h = parseHash();
    if (!text || !h) return;
    clear("hl");
    clear("hl-sent");
    var segs = text.querySelectorAll("[data-s]");
    var sentences = {};
    var first = null;
    for (var i = 0; i < segs.length; i++) {
      var s = +segs[i].getAttribute("data-s");
      var e = +segs[i].getAttribute("data-e");
      if (s < h.e && e > h.s) {
        segs[i].classList.add("hl");
        if (!first) first = segs[i];
        var sn = segs[i].getAttribute("data-sn");
        if (sn !== null) sentences[sn] = true;
      }
    }
    // The whole sentence around the evidence, more lightly: it is what a
    // reader checks the fact against.
    for (var j = 0; j < segs.length; j++) {
      var n = segs[j].getAttribute("data-sn");
      if (n !== null && sentences[n] && !segs[j].classList.contains("hl")) {
        segs[j].classList.add("hl-sent");
      }
    }
    showDetails(findAnnotation(h), h);
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: "center" });
    }
  }

  // A click on an annotated stretch of text selects its innermost annotation
  // (the server lists them shortest first).
  function onTextClick(ev) {
    var seg = ev.target.closest ? ev.target.closest("[data-a]") : null;
    if (!seg) return;
    var id = seg.getAttribute("data-a").split(" ")[0];
    var li = document.getElementById(id);
    if (!li) return;
    window.location.hash =
      "s=" + li.getAttribute("data-s") + "-" + li.getAttribute("data-e") + "&a=" + id;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var text = document.getElementById("text");
    if (text) text.addEventListener("click", onTextClick);
    window.addEventListener("hashchange", highlight);
    highlight();
  });
})();
