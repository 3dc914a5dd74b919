// The report helper's copy button: without JavaScript the message is selectable text.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var row = button.closest(".copy-row");
    var status = row.querySelector(".copy-status");
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) {
      return;
    }
    row.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(
        function () {
          status.textContent = status.dataset.copied;
        },
        function () {
          source.select();
          status.textContent = status.dataset.failed;
        }
      );
    });
  });
})();
