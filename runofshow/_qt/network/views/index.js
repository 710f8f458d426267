// The front page: the three views, with a PIN typed once carried in their links.
"use strict";

(() => {
  const input = document.getElementById("pin");
  function link() {
    const pin = input.value.trim();
    for (const id of ["timer", "backstage", "foyer"]) {
      document.getElementById(id).href = "/" + id + (pin ? "?pin=" + encodeURIComponent(pin) : "");
    }
  }
  input.addEventListener("input", link);
  document.getElementById("use").addEventListener("click", link);
})();
