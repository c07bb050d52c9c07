// Keyboard shortcuts on the audit page: a/c/i/g press the decision button with that key,
// n follows the "next" link, Esc leaves the reason box. Keys typed into a field are text.
(function () {
  "use strict";
  const form = document.getElementById("audit-decision-form");
  if (!form) return;
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    const typing = target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" ||
      target.isContentEditable);
    if (typing) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    const control = document.querySelector('[data-shortcut="' + key + '"]');
    if (!control) return;
    event.preventDefault();
    control.click();
  });
})();
