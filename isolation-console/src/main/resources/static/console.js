// Keeps the environment matrix live: every 2 s it asks for the table again, sending the
// version it shows; the console answers 204 while nothing changed, else the new table.
// Polling rather than server-sent events: no connection held open per tab, nothing a proxy
// must know about, and a 2 s delay is well within "a few seconds" for an operator's page.
(function () {
  'use strict';
  var matrix = document.getElementById('matrix');
  if (!matrix || !window.fetch) {
    return;
  }
  var query = window.location.search ? window.location.search.substring(1) + '&' : '';
  function poll() {
    var current = document.getElementById('matrix');
    var version = current.getAttribute('data-version');
    fetch('matrix/table?' + query + 'v=' + encodeURIComponent(version), { credentials: 'same-origin' })
      .then(function (response) {
        if (response.status === 200) {
          return response.text().then(function (html) {
            var template = document.createElement('template');
            template.innerHTML = html.trim();
            var next = template.content.getElementById('matrix');
            if (next) {
              current.replaceWith(next);
            }
          });
        }
      })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
}());
