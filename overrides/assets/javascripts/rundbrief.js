// Material opens its menu through a hidden checkbox and <label>s, which a keyboard cannot reach or
// press. The header's menu button (partials/header.html) toggles the checkbox; Escape closes the menu;
// focus moves into the menu and back, and aria-expanded tells screen readers the state.
(function () {
  var drawer = document.getElementById("__drawer");
  var button = document.querySelector(".rb-menu");
  if (!drawer || !button) return;

  button.addEventListener("click", function () {
    drawer.click();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer.checked) drawer.click();
  });
  drawer.addEventListener("change", function () {
    button.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
    if (drawer.checked) {
      var first = document.querySelector(".md-sidebar--primary .md-nav__link[href]");
      if (first) first.focus();
    } else {
      button.focus();
    }
  });
})();
