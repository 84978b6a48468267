// The findings index: filter by text and kind, sort by any column. The page state also comes
// from the URL fragment (#q=text&kind=deadlock&sort=2), so a filtered view can be linked.
// It reads only the page's own table; it never inserts markup.
(function () {
  const table = document.getElementById('index');
  if (!table) return;
  const body = table.tBodies[0];
  const filter = document.getElementById('filter');
  const kinds = Array.from(document.querySelectorAll('input[data-kind]'));
  const shown = document.getElementById('shown');
  document.getElementById('controls').hidden = false;

  function apply() {
    const text = filter.value.toLowerCase();
    const on = new Set(kinds.filter((k) => k.checked).map((k) => k.dataset.kind));
    let n = 0;
    for (const row of body.rows) {
      row.hidden = !(on.has(row.dataset.kind) && row.textContent.toLowerCase().includes(text));
      if (!row.hidden) n++;
    }
    shown.textContent = String(n);
  }

  const heads = Array.from(table.tHead.rows[0].cells);
  function sortBy(col, descending) {
    const key = (row) => row.cells[col].dataset.key || row.cells[col].textContent;
    const numeric = heads[col].dataset.type === 'number';
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      const c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return descending ? -c : c;
    });
    for (const row of rows) body.appendChild(row);
    heads.forEach((h, i) => h.setAttribute('aria-sort',
        i === col ? (descending ? 'descending' : 'ascending') : 'none'));
  }

  heads.forEach((h, i) => h.addEventListener('click', () =>
      sortBy(i, h.getAttribute('aria-sort') === 'ascending')));
  filter.addEventListener('input', apply);
  for (const k of kinds) k.addEventListener('change', apply);

  const state = new URLSearchParams(location.hash.slice(1));
  if (state.has('q')) filter.value = state.get('q');
  if (state.has('kind')) {
    const want = new Set(state.getAll('kind'));
    for (const k of kinds) k.checked = want.has(k.dataset.kind);
  }
  if (state.has('sort')) sortBy(Math.abs(Number(state.get('sort'))) || 0,
                                state.get('sort').startsWith('-'));
  apply();
  document.documentElement.dataset.indexReady = 'true';
})();
