// The live pages of /hpadmin: an EventSource on /hpadmin/live says when what the page shows has changed (a failover,
// a join, a departure, a job's state); the page is then fetched again and the element #live swapped in place, so the
// page updates within a second without a reload. A form being filled in is not swapped away: the update waits until
// focus leaves it.
(function () {
  'use strict';
  var live = document.getElementById('live');
  if (!live || !window.EventSource || !window.fetch) {
    return;
  }
  var status = document.getElementById('live-status');
  var pending = false;
  var busy = false;

  function busyWithForm() {
    var active = document.activeElement;
    return active && active !== document.body && live.contains(active)
        && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
  }

  function refresh() {
    if (busy) {
      pending = true;
      return;
    }
    if (busyWithForm()) {
      pending = true;
      return;
    }
    busy = true;
    pending = false;
    fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        if (fresh) {
          live.replaceWith(fresh);
          live = fresh;
          if (status) {
            status.textContent = 'live: updated ' + new Date().toLocaleTimeString();
          }
        }
      })
      .catch(function () { /* the next change tries again */ })
      .then(function () {
        busy = false;
        if (pending) {
          refresh();
        }
      });
  }

  var source = new EventSource(live.getAttribute('data-stream'));
  source.addEventListener('changed', refresh);
  source.addEventListener('open', function () {
    if (status) {
      status.textContent = 'live';
    }
  });
  source.addEventListener('error', function () {
    if (status) {
      status.textContent = 'live: reconnecting';
    }
  });
  document.addEventListener('focusout', function () {
    if (pending) {
      setTimeout(refresh, 0);
    }
  });
})();
