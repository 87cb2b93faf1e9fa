/**
 * The page's inline style and script (html.ts): plain CSS and ES2015 without a framework, so the page works
 * from a file:// URL, offline, in any current browser.
 */

export const PAGE_STYLE = `
body { font: 13px/1.35 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 16em 1fr;
  grid-template-rows: auto 1fr; height: 100vh; color: #1b1b1b; background: #fafafa; }
header { grid-column: 1 / 3; padding: 6px 12px; background: #24324a; color: #fff; }
header h1 { font-size: 16px; margin: 0; display: inline; }
header p { display: inline; margin: 0 0 0 1.5em; opacity: .85; }
nav { overflow-y: auto; border-right: 1px solid #ccc; background: #fff; }
nav ol { list-style: none; margin: 0; padding: 0; }
nav li { padding: 3px 10px; cursor: pointer; font-family: ui-monospace, monospace; white-space: nowrap; }
nav li:hover { background: #eef; }
nav li.current { background: #24324a; color: #fff; }
main { overflow: auto; padding: 8px 14px; }
h2 { font-size: 15px; margin: 4px 0; font-family: ui-monospace, monospace; }
h3 { font-size: 13px; margin: 2px 0 4px; }
ul.changes { margin: 0 0 8px; padding-left: 1.5em; font-family: ui-monospace, monospace; font-size: 12px;
  color: #7a3c00; }
.mms, .folios, .lists { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 10px; }
.mm, .folio, .list { background: #fff; border: 1px solid #ccd; border-radius: 4px; padding: 4px 8px; }
.dead { opacity: .45; } p.free { color: #777; margin: 0 0 10px; } span.slot { padding: 0 3px; }
table { border-collapse: collapse; font-family: ui-monospace, monospace; font-size: 12px; }
th, td { border: 1px solid #dde; padding: 2px 5px; text-align: center; }
th { background: #f0f0f4; font-weight: normal; }
td.present { background: #e3f2e3; } td.zero { background: #eef; } td.swap { background: #f6ecd9; }
td.none { color: #999; } td.huge { background: #e6e0f4; } td.vma { background: #f4f7ff; } td.set { font-weight: bold; }
ul.fields, .list ul { list-style: none; margin: 0 0 4px; padding: 0; font-family: ui-monospace, monospace;
  font-size: 12px; }
ul.fields li { display: inline-block; margin-right: 1em; }
.changed { outline: 2px solid #e07000; background: #ffe1b3 !important; }
`;

export const PAGE_SCRIPT = `
(function () {
  var sections = document.querySelectorAll('section.step');
  var items = document.querySelectorAll('#steps li');
  var last = sections.length - 1;
  var current = 0;
  function show(n) {
    current = Math.max(0, Math.min(last, n));
    for (var i = 0; i <= last; i++) {
      sections[i].hidden = i !== current;
      items[i].className = i === current ? 'current' : '';
    }
    items[current].scrollIntoView({ block: 'nearest' });
    document.body.setAttribute('data-current', String(current));
    // The step is in the address (#N), so that a link or a reload opens the same step.
    if (location.hash !== '#' + current) history.replaceState(null, '', '#' + current);
  }
  function fromHash() {
    var n = Number(location.hash.slice(1));
    return location.hash.length > 1 && n === Math.floor(n) ? n : 0;
  }
  window.addEventListener('hashchange', function () { show(fromHash()); });
  for (var i = 0; i <= last; i++) {
    items[i].addEventListener('click', function (e) { show(Number(e.currentTarget.getAttribute('data-step'))); });
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight' || e.key === 'j') show(current + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'k') show(current - 1);
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(last);
    else return;
    e.preventDefault();
  });
  show(fromHash());
})();
`;
