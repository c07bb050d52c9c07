// Keyboard shortcuts on a trace page: j or n follows the "next failure" link, k or p the
// "previous failure" link, u goes back to the list. The links (data-key-nav) carry the list's
// query string, so the walk follows the list the reader came from.
(function () {
  "use strict";

  var keys = { j: "next", n: "next", k: "prev", p: "prev", u: "list" };

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var where = keys[event.key];
    if (!where) {
      return;
    }
    var link = document.querySelector('a[data-key-nav="' + where + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
