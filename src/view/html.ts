/**
 * A trace as one self-contained HTML page: per step each mm's VMAs, PMDs and PTEs, the folios with their
 * pages, counters and schemes' words, the pins and the swap slots, with the step's changes highlighted;
 * ←/→ (j/k), Home/End walk the steps. Inline CSS and script, no network, no external files.
 *
 * Records are rendered from the state schema (model/state/schema.ts), field by field, so a new field shows
 * up with no change here. Every cell carries `data-field`, named as the text trace names it in its change
 * lines (`mm0 pte[0x1]`, `folio 0 _refcount`, `folio 0 pages 0-3 _mapcount`); a cell whose name a change
 * line of the step gives is marked `changed`, so the highlights are the text trace's lines, no more or less.
 */
import type { Kernel } from '../model/include/mm_types.js';
import type { FieldSpec, RecordSpec } from '../model/state/field.js';
import { FOLIO, MM, PAGE, PIN, PMD, PTE, SWAP_SLOT, VM } from '../model/state/schema.js';
import { formatPte } from '../trace.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './assets.js';

export interface ViewStep {
  /** `fault(0,1)`: the step in script syntax. */
  readonly label: string;
  /** The kernel call it models. */
  readonly call: string;
  /** The text trace's change lines. */
  readonly changes: readonly string[];
  readonly after: Kernel;
}

export interface ViewTrace {
  readonly title: string;
  /** The state before the first step; its `cfg` says which fields the bounds use. */
  readonly initial: Kernel;
  readonly steps: readonly ViewStep[];
  /** A line about the outcome (the verdict, the invariant or the kernel warning), if known. */
  readonly note?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML element or a quoted attribute. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * The field a change line names: what precedes its first `: ` (`folio 0 _refcount: 0 -> 1`), or undefined
 * for a remark such as `(no fault needed: nothing changes)`.
 */
export function changeKey(line: string): string | undefined {
  if (line.startsWith('(')) return undefined;
  const i = line.indexOf(': ');
  return i < 0 ? line : line.slice(0, i);
}

/** A step's changed names, and its runs of pages (`folio 0 pages 0-3 _mapcount`) to match page cells. */
class Changed {
  readonly keys: ReadonlySet<string>;
  private readonly runs: { folio: number; first: number; last: number; field: string; key: string }[] = [];
  constructor(lines: readonly string[]) {
    const keys = lines.map(changeKey).filter((k): k is string => k !== undefined);
    this.keys = new Set(keys);
    for (const key of keys) {
      const m = /^folio (\d+) pages? (\d+)(?:-(\d+))? (.+)$/.exec(key);
      if (m !== null) {
        const first = Number(m[2]);
        this.runs.push({ folio: Number(m[1]), first, last: Number(m[3] ?? first), field: m[4] as string, key });
      }
    }
  }
  /** The change key of a page's field, if a run covers it. */
  pageKey(folio: number, page: number, field: string): string | undefined {
    return this.runs.find((r) => r.folio === folio && r.field === field && r.first <= page && page <= r.last)?.key;
  }
}

/** A cell named `name` (or `key`, the change line covering it); `changed` when the step names it. */
function cell(tag: string, name: string, body: string, ch: Changed, cls = '', key?: string, extra = ''): string {
  const hit = key ?? (ch.keys.has(name) ? name : undefined);
  const classes = [cls, hit !== undefined ? 'changed' : ''].filter((c) => c !== '').join(' ');
  const cattr = classes === '' ? '' : ` class="${classes}"`;
  return `<${tag}${cattr} data-field="${esc(hit ?? name)}"${extra}>${body}</${tag}>`;
}

type Rec = Readonly<Record<string, unknown>>;

const truthy = (v: unknown): boolean => v !== undefined && v !== false && v !== 0;

/**
 * Whether to show field `f` of `r`: the bounds use it, or it holds a value all the same (fork copies the
 * VMA attributes of bounds that do not track VMAs), or its guard is such a field and holds.
 */
function shown(spec: RecordSpec, f: FieldSpec, r: Rec, k: Kernel): boolean {
  if (f.when === undefined || f.when(k.cfg) || truthy(r[f.name])) return true;
  const g = spec.fields.find((x) => x.name === f.guard);
  return g?.when !== undefined && !g.when(k.cfg) && truthy(r[g.name]);
}

/** The fields of `spec` to show for `r`, whose guard holds in `r`. */
function liveFields(spec: RecordSpec, r: Rec, k: Kernel): FieldSpec[] {
  return spec.fields.filter((f) => shown(spec, f, r, k) && (f.guard === undefined || r[f.guard]));
}

/** A record in one line: set flags by name, numbers as `name value` (fields the schema does not know last). */
function summary(spec: RecordSpec, r: Rec, k: Kernel, skip: readonly string[] = []): string {
  const known = new Set<string>([...spec.fields.map((f) => f.name), ...spec.arrays.map((a) => a.name)]);
  const parts: string[] = [];
  for (const f of liveFields(spec, r, k)) {
    if (skip.includes(f.name)) continue;
    const v = r[f.name];
    if (f.type === 'bool') {
      if (v === true) parts.push(f.name);
    } else parts.push(`${f.name} ${String(v)}`);
  }
  for (const [name, v] of Object.entries(r)) if (!known.has(name)) parts.push(`${name} ${JSON.stringify(v)}`);
  return parts.join(', ');
}

/** Tooltip text: the schema's doc of the record and of every field the bounds use. */
function docs(spec: RecordSpec, k: Kernel): string {
  const fields = spec.fields.filter((f) => f.when === undefined || f.when(k.cfg));
  return ` title="${esc([spec.doc, ...fields.map((f) => `${f.name}: ${f.doc}`)].join('\n'))}"`;
}

function pteKind(p: Rec): string {
  if (p.present) return 'present';
  if (p.zero) return 'zero';
  if (p.swp) return 'swap';
  return 'none';
}

/** PTE fields the `formatPte` text already says. */
const PTE_SAID = ['present', 'write', 'folio', 'page', 'zero', 'swp', 'swp_exclusive', 'swap'];

function mmHtml(k: Kernel, m: number, ch: Changed): string {
  const mm = k.mm[m] as unknown as Rec & { vm: Rec[]; pte: Rec[]; pmd: Rec[]; expect?: number[] };
  const cfg = k.cfg;
  const head = cell('h3', `mm${m}`, `mm${m}${mm.live ? '' : ' (not live)'}`, ch);
  // An mm that does not exist, and whose cells the step does not name, is only its name.
  if (!mm.live && ![...ch.keys].some((key) => key.startsWith(`mm${m} `))) return `<div class="mm dead">${head}</div>`;
  const addrs = mm.pte.map((_, a) => `<th>${hex(a)}</th>`).join('');
  const vmas = mm.vm
    .map((v, a) =>
      cell(
        'td',
        `mm${m} vma page ${hex(a)}`,
        esc(v.mapped ? summary(VM, v, k, ['mapped']) : 'unmapped'),
        ch,
        v.mapped ? 'vma' : 'none',
      ),
    )
    .join('');
  const pmds = mm.pmd
    .map((p, t) =>
      cell(
        'td',
        `mm${m} pmd[${t}]`,
        esc(p.huge ? summary(PMD, p, k) : 'PTE table'),
        ch,
        p.huge ? 'huge' : '',
        undefined,
        ` colspan="${cfg.pt}"`,
      ),
    )
    .join('');
  const ptes = mm.pte
    .map((p, a) => {
      const extra = summary(PTE, p, k, PTE_SAID);
      const text = esc(formatPte(p as never)) + (extra === '' ? '' : `<br><small>${esc(extra)}</small>`);
      return cell('td', `mm${m} pte[${hex(a)}]`, text, ch, pteKind(p));
    })
    .join('');
  const rows = [
    `<tr><th></th>${addrs}</tr>`,
    `<tr><th${docs(VM, k)}>VMA</th>${vmas}</tr>`,
    `<tr><th${docs(PMD, k)}>PMD</th>${pmds}</tr>`,
    `<tr><th${docs(PTE, k)}>PTE</th>${ptes}</tr>`,
  ];
  if (cfg.data && mm.expect !== undefined) {
    const data = mm.expect.map((d, a) => cell('td', `mm${m} data at ${hex(a)}`, String(d), ch)).join('');
    rows.push(`<tr><th title="${esc(MM.arrays.find((x) => x.name === 'expect')?.doc ?? '')}">expects</th>${data}</tr>`);
  }
  return `<div class="mm${mm.live ? '' : ' dead'}">${head}<table>${rows.join('')}</table></div>`;
}

/** The trace's name of a page field. */
const pageFieldName = (f: string): string => (f === 'anon_exclusive' ? 'PG_anon_exclusive' : f);

function folioHtml(k: Kernel, s: number, ch: Changed): string {
  const f = k.folio[s] as unknown as Rec & { mc: number[]; pages: Rec[]; nr_pages: number };
  if (!f.used) return cell('span', `folio ${s}`, String(s), ch, 'slot');
  const head = cell('h3', `folio ${s}`, `folio ${s}, nr_pages ${f.nr_pages}`, ch);
  const fields = liveFields(FOLIO, f, k)
    .filter((x) => x.name !== 'used' && x.name !== 'nr_pages')
    .map((x) =>
      cell(
        'li',
        `folio ${s} ${x.name}`,
        `${esc(x.name)} <b>${esc(String(f[x.name]))}</b>`,
        ch,
        '',
        undefined,
        ` title="${esc(x.doc)}"`,
      ),
    );
  const words = k.cfg.folioWords.map((w, i) =>
    cell(
      'li',
      `folio ${s} ${w.name}`,
      `${esc(w.name)} <b>${esc(String(f.mc[i]))}</b> <small>[${esc(w.scheme)}]</small>`,
      ch,
    ),
  );
  const pages = f.pages.slice(0, f.nr_pages);
  const pageFields = PAGE.fields.filter((x) => pages.some((p) => shown(PAGE, x, p, k)));
  const rows = pageFields.map((x) => {
    const name = pageFieldName(x.name);
    const cells = pages.map((p, i) => {
      const v = p[x.name];
      const text = typeof v === 'boolean' ? (v ? 'set' : 'clear') : String(v);
      return cell('td', `folio ${s} page ${i} ${name}`, esc(text), ch, v === true ? 'set' : '', ch.pageKey(s, i, name));
    });
    return `<tr><th title="${esc(x.doc)}">${esc(name)}</th>${cells.join('')}</tr>`;
  });
  const pageHead = `<tr><th>page</th>${pages.map((_, i) => `<th>${i}</th>`).join('')}</tr>`;
  return (
    `<div class="folio">${head}<ul class="fields">${[...fields, ...words].join('')}</ul>` +
    `<table>${pageHead}${rows.join('')}</table></div>`
  );
}

function stateHtml(k: Kernel, ch: Changed): string {
  const mms = k.mm.map((_, m) => mmHtml(k, m, ch)).join('');
  const folios = k.folio.map((f, s) => (f.used ? folioHtml(k, s, ch) : '')).join('');
  const free = k.folio.map((f, s) => (f.used ? '' : folioHtml(k, s, ch))).join(' ');
  const pins = k.pin.map((p, i) =>
    cell('li', `pin ${i}`, `pin ${i}: ${esc(p.live ? summary(PIN, p as unknown as Rec, k, ['live']) : 'empty')}`, ch),
  );
  const swap = k.swap.map((w, i) =>
    cell(
      'li',
      `swap ${i}`,
      `swap ${i}: ${esc(w.used ? summary(SWAP_SLOT, w as unknown as Rec, k, ['used']) : 'free')}`,
      ch,
    ),
  );
  const list = (title: string, spec: RecordSpec, items: string[]): string =>
    items.length === 0 ? '' : `<div class="list"><h3${docs(spec, k)}>${title}</h3><ul>${items.join('')}</ul></div>`;
  return (
    `<div class="mms">${mms}</div><div class="folios">${folios}</div>` +
    (free === '' ? '' : `<p class="free">free folio slots: ${free}</p>`) +
    `<div class="lists">${list('pins', PIN, pins)}${list('swap slots', SWAP_SLOT, swap)}</div>`
  );
}

function stepHtml(n: number, step: ViewStep | undefined, k: Kernel): string {
  const lines = step?.changes ?? [];
  const ch = new Changed(lines);
  const title = step === undefined ? '0. initial state' : `${n}. ${step.call}`;
  const changes = lines.map((l) => `<li data-key="${esc(changeKey(l) ?? '')}">${esc(l)}</li>`).join('');
  return (
    `<section class="step" id="step-${n}" data-step="${n}"${n === 0 ? '' : ' hidden'}>` +
    `<h2>${esc(title)}</h2><ul class="changes">${changes}</ul>${stateHtml(k, ch)}</section>`
  );
}

/** The whole page for `t`: a pure function of the trace. */
export function pageHtml(t: ViewTrace): string {
  const nav = [
    `<li data-step="0" class="current">0. initial</li>`,
    ...t.steps.map((s, i) => `<li data-step="${i + 1}" title="${esc(s.call)}">${i + 1}. ${esc(s.label)}</li>`),
  ].join('');
  const sections = [stepHtml(0, undefined, t.initial), ...t.steps.map((s, i) => stepHtml(i + 1, s, s.after))];
  const note = t.note === undefined ? '' : `<p class="note">${esc(t.note)}</p>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>foliocheck: ${esc(t.title)}</title>`,
    `<style>${PAGE_STYLE}</style></head><body>`,
    `<header><h1>foliocheck: ${esc(t.title)}</h1>${note}<p class="help">←/→ or j/k: step, Home/End: first/last</p></header>`,
    `<nav><ol id="steps">${nav}</ol></nav>`,
    `<main>${sections.join('\n')}</main>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
  ].join('\n');
}
