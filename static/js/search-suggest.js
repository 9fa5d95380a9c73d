// Optional: fills the search box's <datalist> with entity names as the reader
// types. Without JavaScript the box and /search/suggest/ work as plain forms.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-q-entities");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var last = "";
  function fill(results) {
    list.replaceChildren();
    results.forEach(function (entity) {
      var option = document.createElement("option");
      option.value = entity.label;
      list.appendChild(option);
    });
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var query = input.value.trim();
      if (query.length < 2 || query === last) { return; }
      last = query;
      var url = input.dataset.suggestUrl + "?format=json&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { fill(data.results || []); })
        .catch(function () { /* suggestions are optional */ });
    }, 200);
  });
})();
