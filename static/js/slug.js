// Suggest a campaign's address (slug) from its title while the founder has not typed one.
// The server checks the slug whatever this script suggests; without JavaScript the field
// is simply empty.
(function () {
  "use strict";
  function suggest(title) {
    return title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/ß/g, "ss")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+/, "")
      .slice(0, 60)
      .replace(/-+$/, "");
  }
  function wire() {
    var slug = document.querySelector("input[data-slug-from]");
    if (!slug) return;
    var title = document.getElementById(slug.getAttribute("data-slug-from"));
    if (!title) return;
    var typed = slug.value !== "";
    slug.addEventListener("input", function () { typed = slug.value !== ""; });
    title.addEventListener("input", function () {
      if (!typed) slug.value = suggest(title.value);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
