// The paper upload form's drop zone: files dropped on it go into the form's file input
// (which stays usable on its own), and the chosen files are listed with their sizes, with a
// warning when the upload is over the limits the page states.
(function () {
  "use strict";

  var zone = document.querySelector("[data-dropzone]");
  if (!zone) {
    return;
  }
  var input = zone.querySelector('input[type="file"]');
  var list = zone.querySelector("[data-dropzone-files]");
  var warning = zone.querySelector("[data-dropzone-warning]");
  var maxBytes = Number(zone.dataset.maxBytes) || 0;
  var maxFiles = Number(zone.dataset.maxFiles) || 0;

  function megabytes(bytes) {
    return (bytes / 1e6).toFixed(1) + " MB";
  }

  function render() {
    var total = 0;
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      total += file.size;
      var item = document.createElement("li");
      item.textContent = file.name + " (" + megabytes(file.size) + ")";
      list.appendChild(item);
    });
    var problem = "";
    if (maxFiles && input.files.length > maxFiles) {
      problem = input.files.length + " files chosen; one upload takes at most " + maxFiles + ".";
    } else if (maxBytes && total > maxBytes) {
      problem = "These files come to " + megabytes(total) + "; one upload takes at most " +
        megabytes(maxBytes) + ". Upload them in smaller groups.";
    }
    warning.textContent = problem;
    warning.hidden = !problem;
    zone.classList.toggle("dropzone--filled", input.files.length > 0);
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dropzone--over");
    });
  });
  ["dragleave", "dragend"].forEach(function (name) {
    zone.addEventListener(name, function () {
      zone.classList.remove("dropzone--over");
    });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("dropzone--over");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      render();
    }
  });
  input.addEventListener("change", render);
  render();
})();
