/**
 * The kernel's decisions that read mapcount-derived state: each decision point asks one query, answered by
 * the era's own counts or, with `--decide-with SCHEME` (`Config.decider`), by that scheme.
 *
 * Models:   the places where the kernel acts on what its mapcounts say rather than on the page tables:
 *           COW reuse (mm/memory.c wp_can_reuse_anon_folio(), __wp_can_reuse_large_anon_folio(); <= 5.8
 *           reuse_swap_page()), COW of a PMD-mapped THP (mm/huge_memory.c do_huge_pmd_wp_page(), <= 5.17),
 *           the deferred-split queueing of __folio_remove_rmap() (mm/rmap.c), reclaim's folio_mapped() tests
 *           (mm/vmscan.c shrink_folio_list()), MADV_PAGEOUT's "maybe mapped shared" and "fully mapped"
 *           tests (mm/madvise.c madvise_cold_or_pageout_pte_range()) and pagemap's PM_MMAP_EXCLUSIVE
 *           (fs/proc/task_mmu.c pte_to_pagemap_entry(), __folio_page_mapped_exclusively()).
 * Context:  the `decided_*` queries return undefined when no scheme decides, or when the deciding scheme
 *           cannot answer (it keeps no words for small folios, or its count is not of mappings): the
 *           caller then asks the era's own source, so every decision point reads `decided ?? own`.
 * Deviates: a decision point keeps the era's structure and only its queries change source: the 6.15 COW
 *           reuse still demands mapcount > 1 and mapcount == refcount, with the mapcount from the decider
 *           when it counts mappings and from the era otherwise.
 */
import type { Config } from './config.js';
import { type SchemeSlot, schemeSlots } from './mapcount/index.js';
import type { Folio, Kernel, Page } from './state/schema.js';

/** A question the kernel asks of its mapcounts (the scheme interface's queries). */
export type Query =
  | 'folio_mapcount'
  | 'folio_maybe_mapped_shared'
  | 'folio_mapped'
  | 'folio_partially_mapped'
  | 'page_mapped_exclusively';

export interface DecisionPoint {
  /** Short name, as reports print it. */
  readonly name: string;
  /** The kernel function that decides, and when. */
  readonly where: string;
  /** The queries it asks. */
  readonly queries: readonly Query[];
  /** What it decides, and what a wrong answer costs. */
  readonly about: string;
}

export const DECISION_POINTS: readonly DecisionPoint[] = [
  {
    name: 'cow-reuse-large',
    where: 'mm/memory.c __wp_can_reuse_large_anon_folio() (6.15+)',
    queries: ['folio_mapcount', 'folio_maybe_mapped_shared'],
    about: 'reuse a non-exclusive page of a large folio on a write fault: a wrong "not shared" leaks data',
  },
  {
    name: 'cow-reuse-mapcount',
    where: 'mm/memory.c do_wp_page() -> reuse_swap_page() (<= 5.8), mm/huge_memory.c do_huge_pmd_wp_page() (<= 5.17)',
    queries: ['folio_mapcount'],
    about: 'reuse a page (or a PMD-mapped THP) mapped once: a count too low leaks data',
  },
  {
    name: 'deferred-split',
    where: 'mm/rmap.c __folio_remove_rmap() -> deferred_split_folio()',
    queries: ['folio_partially_mapped'],
    about: 'queue a partly unmapped large folio for splitting: a miss leaves unmapped pages unreclaimable',
  },
  {
    name: 'reclaim-mapped',
    where: 'mm/vmscan.c shrink_folio_list(): folio_mapped() before and after try_to_unmap()',
    queries: ['folio_mapped'],
    about: 'unmap before swap-out, free after: "unmapped" while mapped skips the unmap; "mapped" after keeps it',
  },
  {
    name: 'pageout-shared',
    where: 'mm/madvise.c madvise_cold_or_pageout_pte_range()',
    queries: ['folio_maybe_mapped_shared', 'folio_mapcount'],
    about:
      'MADV_PAGEOUT and MADV_COLD leave folios other mms may map alone: a wrong "not shared" pages out ' +
      '(or ages) their memory',
  },
  {
    name: 'pagemap-exclusive',
    where: 'fs/proc/task_mmu.c pte_to_pagemap_entry() -> __folio_page_mapped_exclusively()',
    queries: ['page_mapped_exclusively', 'folio_maybe_mapped_shared'],
    about: 'PM_MMAP_EXCLUSIVE in /proc/pid/pagemap: a wrong bit misleads user space (counted per page)',
  },
];

const deciders = new WeakMap<Config, SchemeSlot | null>();

/** The deciding scheme and where its words are, or undefined. */
export function deciderOf(cfg: Config): SchemeSlot | undefined {
  let d = deciders.get(cfg);
  if (d === undefined) {
    d = cfg.decider === undefined ? null : (schemeSlots(cfg).find((s) => s.scheme.name === cfg.decider) ?? null);
    deciders.set(cfg, d);
  }
  return d ?? undefined;
}

/** The decider, if it keeps words for this folio (the large-folio schemes keep none for small folios). */
function deciderFor(k: Kernel, folio: Folio): SchemeSlot | undefined {
  if (k.cfg.decider === undefined) return undefined;
  const d = deciderOf(k.cfg);
  if (d === undefined || (!d.scheme.smallFolios && folio.nr_pages <= 1)) return undefined;
  return d;
}

/** folio_mapcount() as the decider has it, if it counts mappings (PTEs and PMDs). */
export function decided_folio_mapcount(k: Kernel, folio: Folio): number | undefined {
  const d = deciderFor(k, folio);
  if (d === undefined || d.scheme.counts !== 'mappings') return undefined;
  return d.scheme.folio_mapcount(folio, d.o);
}

/** folio_maybe_mapped_shared() as the decider answers it. */
export function decided_folio_maybe_mapped_shared(k: Kernel, folio: Folio): boolean | undefined {
  const d = deciderFor(k, folio);
  return d?.scheme.folio_maybe_mapped_shared?.(folio, d.o);
}

/** folio_mapped(): any count above zero, whatever the decider counts. */
export function decided_folio_mapped(k: Kernel, folio: Folio): boolean | undefined {
  const d = deciderFor(k, folio);
  return d === undefined ? undefined : d.scheme.folio_mapcount(folio, d.o) > 0;
}

/** The deferred-split test, as the decider answers it. */
export function decided_folio_partially_mapped(k: Kernel, folio: Folio): boolean | undefined {
  const d = deciderFor(k, folio);
  return d?.scheme.folio_partially_mapped?.(folio, d.o);
}

/**
 * PM_MMAP_EXCLUSIVE of one mapped page: with per-page mapcounts (the era's source, CONFIG_PAGE_MAPCOUNT)
 * the page's precise mapcount is 1, a huge PMD mapping its folio counting too; a decider without per-page
 * counts answers for the folio, as 6.15's __folio_page_mapped_exclusively() does under
 * CONFIG_NO_PAGE_MAPCOUNT: "not maybe mapped shared".
 */
export function page_mapped_exclusively(k: Kernel, folio: Folio, page: Page): boolean {
  const d = deciderFor(k, folio);
  if (d !== undefined && d.scheme.name !== 'page-mapcount') {
    if (folio.nr_pages <= 1) return d.scheme.folio_mapcount(folio, d.o) === 1;
    const shared = d.scheme.folio_maybe_mapped_shared?.(folio, d.o);
    if (shared !== undefined) return !shared;
  }
  // folio_precise_page_mapcount(): the page's PTE mappings and the folio's PMD mappings (include/linux/mm.h).
  return page._mapcount + folio._entire_mapcount === 1;
}

/** Where each decision point's queries are answered under `cfg`, for reports. */
export function decisionSources(cfg: Config): { point: string; query: Query; from: string }[] {
  const d = deciderOf(cfg);
  const own = (q: Query): string =>
    q === 'folio_maybe_mapped_shared' && cfg.rules.reusesLargeByMmId ? 'the era (MM-ID)' : 'the era (page mapcounts)';
  const out: { point: string; query: Query; from: string }[] = [];
  for (const p of DECISION_POINTS) {
    for (const q of p.queries) {
      let from = own(q);
      if (d !== undefined) {
        const s = d.scheme;
        const answers =
          q === 'folio_mapcount'
            ? s.counts === 'mappings'
            : q === 'folio_maybe_mapped_shared'
              ? s.folio_maybe_mapped_shared !== undefined
              : q === 'folio_partially_mapped'
                ? s.folio_partially_mapped !== undefined
                : true;
        const small = s.smallFolios ? '' : ' (large folios; small: the era)';
        if (answers) from = `${s.name}${small}`;
      }
      out.push({ point: p.name, query: q, from });
    }
  }
  return out;
}

/** The era's own deferred-split test: per-page mapcounts say some pages are mapped and some are not. */
export function own_folio_partially_mapped(folio: Folio): boolean {
  if (folio._entire_mapcount > 0) return false;
  let mapped = 0;
  for (let j = 0; j < folio.nr_pages; j++) if ((folio.pages[j] as Page)._mapcount > 0) mapped += 1;
  return mapped > 0 && mapped < folio.nr_pages;
}

/**
 * Decision point deferred-split: after an rmap removal, __folio_remove_rmap() queues a partly mapped
 * anonymous large folio once (`!folio_test_partially_mapped()`), setting PG_partially_mapped. Kept only
 * while a scheme decides (the field is encoded then): the queue is what the decision is judged by.
 */
export function deferred_split_decision(k: Kernel, folio: Folio): void {
  if (k.cfg.decider === undefined || folio.nr_pages <= 1 || folio.partially_mapped !== 0) return;
  if (decided_folio_partially_mapped(k, folio) ?? own_folio_partially_mapped(folio)) folio.partially_mapped = 1;
}
