// The meeting page's running totals: as the facilitator types, each fund's totals, the cash each
// box should hold, and a counted box that differs (both figures and the difference). Comfort
// only: the page shows the same totals from the server without JavaScript, and the server
// computes the expected cash again when the meeting is recorded. A static file, no inline
// script: the Content-Security-Policy allows only scripts served from this site.
(function () {
  "use strict";
  var form = document.querySelector("form[data-meeting]");
  if (!form) {
    return;
  }

  function fcfa(amount) {
    var sign = amount < 0 ? "-" : "";
    var digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    return sign + digits + "\u00a0FCFA";
  }

  function whole(input) {
    var value = parseInt(String(input.value).replace(/\s/g, ""), 10);
    return isNaN(value) || value < 0 ? 0 : value;
  }

  function sum(kind) {
    var total = 0;
    form.querySelectorAll("[data-total='" + kind + "']").forEach(function (input) {
      total += whole(input);
    });
    return total;
  }

  function show(name, text) {
    form.querySelectorAll("[data-sum='" + name + "']").forEach(function (cell) {
      cell.textContent = text;
    });
  }

  function mismatch(box, expected) {
    var line = form.querySelector("[data-mismatch='" + box + "']");
    var input = form.querySelector("[data-counted='counted_" + box + "_fund']");
    if (!line || !input) {
      return;
    }
    if (String(input.value).trim() === "" || whole(input) === expected) {
      line.hidden = true;
      return;
    }
    var counted = whole(input);
    var template = counted < expected ? line.dataset.short : line.dataset.over;
    line.textContent = template
      .replace("{counted}", fcfa(counted))
      .replace("{expected}", fcfa(expected))
      .replace("{difference}", fcfa(Math.abs(counted - expected)));
    line.hidden = false;
  }

  function update() {
    var price = parseInt(form.dataset.sharePrice, 10) || 0;
    var t = {};
    ["shares", "health", "fines", "repaid", "loans", "grants", "incomes", "expenses"].forEach(
      function (kind) {
        t[kind] = sum(kind);
      }
    );
    var shareCount = t.shares;
    t.shares = shareCount * price;
    var expectedLoan = (parseInt(form.dataset.openingLoan, 10) || 0) + t.shares + t.fines +
      t.repaid + t.incomes - t.loans - t.expenses;
    var expectedHealth = (parseInt(form.dataset.openingHealth, 10) || 0) + t.health - t.grants;
    show("share_count", String(shareCount));
    ["shares", "fines", "repaid", "incomes", "health"].forEach(function (kind) {
      show(kind, "+ " + fcfa(t[kind]));
    });
    ["loans", "expenses", "grants"].forEach(function (kind) {
      show(kind, "\u2212 " + fcfa(t[kind]));
    });
    show("expected_loan", fcfa(expectedLoan));
    show("expected_health", fcfa(expectedHealth));
    mismatch("loan", expectedLoan);
    mismatch("health", expectedHealth);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
