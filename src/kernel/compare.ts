/**
 * One step's observation of the kernel compared with the model's state, up to a renaming of folios.
 *
 * The model names a page (folio slot, page index); the kernel a PFN. The comparison builds the renaming
 * from the mapped pages and requires it to be a bijection consistent with the folio layout: one PFN per
 * model page and back, one kernel folio (head PFN) per model folio and back, the same number of pages, and
 * page i of a folio at head + i. Then per page: the mapcount (/proc/kpagecount is the precise per-page
 * mapcount, entire mappings included, with CONFIG_PAGE_MAPCOUNT), PM_MMAP_EXCLUSIVE (with
 * CONFIG_PAGE_MAPCOUNT: that mapcount is 1; PG_anon_exclusive itself is not visible to user space), the
 * zero page, swap entries (a bijection of model slots and (type, offset)), and the data each process reads.
 * Across a step, a page mapped before and after keeps its model page exactly when it keeps its PFN:
 * reuse versus copy.
 */
import type { Kernel, Mm, Pte } from '../model/include/mm_types.js';
import type { MmObs, PageObs } from './helper.js';

const KPF_ZERO_PAGE = 24;

/** One difference: what the model says, what the kernel says; `allowance` names a legitimate cause. */
export interface Difference {
  readonly what: string;
  readonly allowance?: string;
}

/** Why a PageObs is the zero page: its kpageflags carry ZERO_PAGE. */
function isZero(p: PageObs): boolean {
  return p !== 'n' && p[0] === 'p' && Math.floor(p[4] / 2 ** KPF_ZERO_PAGE) % 2 === 1;
}

function describeObs(p: PageObs | undefined): string {
  if (p === undefined) return 'no process';
  if (p === 'n') return 'none';
  if (p[0] === 's') return `swap entry (type ${p[1]}, offset ${p[2]})`;
  if (isZero(p)) return 'the zero page';
  return `pfn ${p[1]} (folio head ${p[5]}, ${p[6]} pages), kpagecount ${p[3]}, exclusive ${p[2]}, data ${p[7]}`;
}

class Bijection<A, B> {
  private readonly ab = new Map<A, B>();
  private readonly ba = new Map<B, A>();
  /** Records a ~ b; returns a message when a or b is already paired with something else. */
  pair(a: A, b: B, name: (x: A) => string, nameB: (y: B) => string): string | undefined {
    const b0 = this.ab.get(a);
    const a0 = this.ba.get(b);
    if (b0 !== undefined && b0 !== b) return `${name(a)} is ${nameB(b0)} at one place and ${nameB(b)} at another`;
    if (a0 !== undefined && a0 !== a) return `${nameB(b)} is ${name(a0)} at one place and ${name(a)} at another`;
    this.ab.set(a, b);
    this.ba.set(b, a);
    return undefined;
  }
}

/** The differences between the model's state `k` and the kernel's observation `obs`. */
export function compareState(k: Kernel, obs: readonly MmObs[]): Difference[] {
  const out: Difference[] = [];
  const byMm = new Map(obs.map((o) => [o.mm, o]));
  const pages = new Bijection<string, number>();
  const folios = new Bijection<number, number>();
  const swaps = new Bijection<number, string>();
  k.mm.forEach((mm, m) => {
    const o = byMm.get(m);
    if (mm.live !== (o !== undefined)) {
      out.push({ what: `mm${m}: model ${mm.live ? 'live' : 'gone'}, kernel ${o ? 'has' : 'has no'} process` });
      return;
    }
    if (o === undefined) return;
    mm.pte.forEach((raw, a) => {
      const pte = mapped(k, mm, raw, a);
      const p = o.pages[a] ?? 'n';
      const at = `mm${m} page ${a}`;
      const differ = (model: string, extra = ''): void => {
        out.push({ what: `${at}: model ${model}, kernel ${describeObs(p)}${extra}` });
      };
      if (pte.zero) {
        if (!isZero(p)) differ('the zero page');
        return;
      }
      if (pte.swp) {
        if (p === 'n' || p[0] !== 's') {
          differ(`swap entry ${pte.swap}`);
          return;
        }
        const why = swaps.pair(
          pte.swap,
          `${p[1]}:${p[2]}`,
          (s) => `swap slot ${s}`,
          (e) => `swap entry ${e}`,
        );
        if (why) differ(`swap entry ${pte.swap}`, ` (${why})`);
        return;
      }
      if (!pte.present) {
        if (p !== 'n') differ('none');
        return;
      }
      const folio = k.folio[pte.folio];
      const page = folio?.pages[pte.page];
      const model = `folio ${pte.folio} page ${pte.page}`;
      if (folio === undefined || page === undefined) {
        differ(`${model} (no such folio)`);
        return;
      }
      if (p === 'n' || p[0] !== 'p' || isZero(p)) {
        differ(model);
        return;
      }
      const [, pfn, excl, count, , head, nr, data] = p;
      const problems: string[] = [];
      const mapcount = page._mapcount + folio._entire_mapcount;
      const why =
        pages.pair(
          `${pte.folio}:${pte.page}`,
          pfn,
          (s) => `model page ${s}`,
          (x) => `pfn ${x}`,
        ) ??
        folios.pair(
          pte.folio,
          head,
          (f) => `model folio ${f}`,
          (h) => `kernel folio ${h}`,
        );
      if (why) problems.push(why);
      if (nr !== folio.nr_pages) problems.push(`folio of ${folio.nr_pages} pages, kernel's of ${nr}`);
      else if (pfn - head !== pte.page) problems.push(`page ${pte.page} of its folio, kernel's ${pfn - head}`);
      if (count !== mapcount) problems.push(`mapcount ${mapcount}, kpagecount ${count}`);
      // A PMD mapping's PM_MMAP_EXCLUSIVE is the folio's: set when no other mm maps any page of it
      // (pagemap_pmd_range(), observed on 6.18); a PTE's is its page's mapcount of 1.
      const exclusive = raw === pte ? mapcount === 1 : !mappedElsewhere(k, m, pte.folio);
      if ((excl === 1) !== exclusive) problems.push(`mapped ${mapcount} times, PM_MMAP_EXCLUSIVE ${excl}`);
      if (k.cfg.data && data !== page.data) problems.push(`data ${page.data}, kernel reads ${data}`);
      if (problems.length > 0) {
        const allowance =
          nr < folio.nr_pages && problems.length === 1 ? 'mTHP allocation fell back to a smaller order' : undefined;
        out.push({
          what: `${at}: model ${model}, kernel ${describeObs(p)}: ${problems.join('; ')}`,
          ...(allowance !== undefined ? { allowance } : {}),
        });
      }
    });
  });
  return out;
}

/** Whether an mm other than `m` maps some page of folio `slot` (by PTE or huge PMD). */
function mappedElsewhere(k: Kernel, m: number, slot: number): boolean {
  return k.mm.some(
    (mm, n) =>
      n !== m &&
      mm.live &&
      (mm.pte.some((p) => p.present && p.folio === slot) || mm.pmd.some((p) => p.huge && p.folio === slot)),
  );
}

/**
 * What the model maps at page `a` of `mm`: its PTE, or under a huge PMD the page of the PMD-mapped folio
 * (the kernel's pagemap shows a PMD-mapped THP page by page).
 */
function mapped(k: Kernel, mm: Mm, pte: Pte, a: number): Pte {
  const pmd = mm.pmd[(a / k.cfg.pt) | 0];
  if (pmd === undefined || !pmd.huge) return pte;
  return { ...pte, present: true, write: pmd.write, folio: pmd.folio, page: a % k.cfg.pt, zero: false, swp: false };
}

/**
 * Reuse versus copy: every page mapped by the same mm and address before and after a step keeps its model
 * page exactly when it keeps its PFN. `renames` ("slot:page" -> "slot:page") are the step's splits: a page a
 * split moved into a folio of its own is the same physical page.
 */
export function compareContinuity(
  before: Kernel,
  beforeObs: readonly MmObs[],
  after: Kernel,
  afterObs: readonly MmObs[],
  renames: ReadonlyMap<string, string> = new Map(),
): Difference[] {
  const out: Difference[] = [];
  const pfn = (obs: readonly MmObs[], m: number, a: number): number | undefined => {
    const p = obs.find((o) => o.mm === m)?.pages[a];
    return p !== undefined && p !== 'n' && p[0] === 'p' && !isZero(p) ? p[1] : undefined;
  };
  after.mm.forEach((mm, m) => {
    mm.pte.forEach((raw, a) => {
      const pte = mapped(after, mm, raw, a);
      const was = before.mm[m];
      const old = was === undefined || was.pte[a] === undefined ? undefined : mapped(before, was, was.pte[a] as Pte, a);
      if (!pte.present || old === undefined || !old.present || !(before.mm[m]?.live ?? false)) return;
      const p0 = pfn(beforeObs, m, a);
      const p1 = pfn(afterObs, m, a);
      if (p0 === undefined || p1 === undefined) return;
      // A split moves pages into new folios, physically in place (split_huge_page.ts `splitRenames`).
      const moved = renames.get(`${old.folio}:${old.page}`);
      const modelSame = (moved ?? `${old.folio}:${old.page}`) === `${pte.folio}:${pte.page}`;
      if (modelSame !== (p0 === p1)) {
        out.push({
          what:
            `mm${m} page ${a}: model ${modelSame ? 'keeps' : 'replaces'} its page ` +
            `(folio ${old.folio} page ${old.page} -> folio ${pte.folio} page ${pte.page}), ` +
            `kernel ${p0 === p1 ? 'keeps' : 'replaces'} it (pfn ${p0} -> ${p1})`,
        });
      }
    });
  });
  return out;
}
