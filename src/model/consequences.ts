/**
 * What the kernel's decisions cost when a scheme decides (decide.ts), counted as figures: the consequences
 * that are not invariants (a needless COW copy, a wrong PM_MMAP_EXCLUSIVE bit, a shared folio paged out,
 * a mapped folio reclaim could not unmap). Leaks, lost pins and use-after-free are invariants already.
 *
 * Context:  the search activates one `Figures` around each transition it explores and each state it
 *           observes (spec.ts), so every explored transition counts once; replays of a trace for printing
 *           run with none active and count nothing.
 */

import { page_mapped_exclusively } from './decide.js';
import type { Truth } from './recount/truth.js';
import type { Folio, Kernel, Mm, Page, Pmd, Pte } from './state/schema.js';

/** Named counters; the names are `FIGURES`' keys. */
export class Figures {
  readonly counts = new Map<string, number>();
  add(name: FigureName, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }
}

/** Each figure and how a report words it (`of` names the figure it is a part of). */
export const FIGURES = {
  'cow-copies': { text: 'COW copies' },
  'needless-copies': {
    text: 'needless (the faulting mm alone mapped the folio, nothing else held it)',
    of: 'cow-copies',
  },
  'falsely-shared-copies': {
    text: 'made because "maybe shared" was answered for a folio the faulting mm alone mapped',
    of: 'cow-copies',
  },
  'pagemap-pages': { text: 'PM_MMAP_EXCLUSIVE bits of mapped pages (summed over explored states)' },
  'pagemap-wrong': { text: 'wrong', of: 'pagemap-pages' },
  'pageout-decisions': { text: 'MADV_PAGEOUT decisions to page out or split' },
  'pageout-shared': { text: 'about folios another mm maps', of: 'pageout-decisions' },
  'cold-decisions': { text: 'MADV_COLD decisions to deactivate or split' },
  'cold-shared': { text: 'about folios another mm maps', of: 'cold-decisions' },
  'reclaim-kept-mapped': { text: 'reclaims that left a mapped folio mapped (the decider said unmapped)' },
} as const;
export type FigureName = keyof typeof FIGURES;

let active: Figures | undefined;

/** Makes `f` the figures counted into (undefined: none), returning the previous ones. */
export function activateFigures(f: Figures | undefined): Figures | undefined {
  const before = active;
  active = f;
  return before;
}

/** Whether figures are being counted: callers skip the ground-truth scans otherwise. */
export function countingFigures(): boolean {
  return active !== undefined;
}

export function countFigure(name: FigureName, n = 1): void {
  active?.add(name, n);
}

/** Mappings (PTEs and huge PMDs) of folio `slot`, and whether any is by an mm other than `m`. */
export function mappingsOf(k: Kernel, slot: number, m: number): { maps: number; others: boolean } {
  let maps = 0;
  let others = false;
  for (let n = 0; n < k.mm.length; n++) {
    const mm = k.mm[n] as Mm;
    if (!mm.live) continue;
    let mine = 0;
    for (const pte of mm.pte as Pte[]) if (pte.present && pte.folio === slot) mine += 1;
    for (const pmd of mm.pmd as Pmd[]) if (pmd.huge && pmd.folio === slot) mine += 1;
    maps += mine;
    if (mine > 0 && n !== m) others = true;
  }
  return { maps, others };
}

/**
 * A COW copy of a page of folio `slot` by mm `m`: needless when `m` alone maps it and nothing else holds it;
 * falsely shared when, besides, the reuse was declined on "maybe shared" (`declinedAsShared`).
 */
export function countCowCopy(k: Kernel, slot: number, m: number, declinedAsShared: boolean): void {
  if (active === undefined) return;
  const { maps, others } = mappingsOf(k, slot, m);
  active.add('cow-copies');
  if (others || maps !== (k.folio[slot] as Folio)._refcount) return;
  active.add('needless-copies');
  if (declinedAsShared) active.add('falsely-shared-copies');
}

/** PM_MMAP_EXCLUSIVE of every mapped page of every mm, against the recount `t`. */
export function observePagemap(k: Kernel, t: Truth): void {
  if (active === undefined) return;
  let pages = 0;
  let wrong = 0;
  for (const mm of k.mm as Mm[]) {
    if (!mm.live) continue;
    for (const pte of mm.pte as Pte[]) {
      if (!pte.present) continue;
      const folio = k.folio[pte.folio] as Folio;
      const truly = t.maps(pte.folio, pte.page) === 1 && (t.pmdmaps[pte.folio] as number) === 0;
      pages += 1;
      if (page_mapped_exclusively(k, folio, folio.pages[pte.page] as Page) !== truly) wrong += 1;
    }
  }
  active.add('pagemap-pages', pages);
  active.add('pagemap-wrong', wrong);
}

/** The key under which a search reports these figures beside the schemes' own (`schemeCounts`). */
export const DECISIONS = 'decisions';

/** The figures as sentences: each with its share of the figure it is part of. */
export function figureLines(decider: string | undefined, counts: ReadonlyMap<string, number>): string[] {
  const n = (k: string): number => counts.get(k) ?? 0;
  const parts: string[] = [];
  for (const [key, f] of Object.entries(FIGURES)) {
    if ('of' in f)
      parts.push(
        `${n(key).toLocaleString('en-US')} of ${n(f.of).toLocaleString('en-US')} ${FIGURES[f.of].text} were ${f.text}`,
      );
  }
  parts.push(`${n('reclaim-kept-mapped').toLocaleString('en-US')} ${FIGURES['reclaim-kept-mapped'].text}`);
  return [`decided by ${decider ?? 'the era'}: ${parts.join('; ')}`];
}
