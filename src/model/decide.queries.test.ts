/**
 * The decision points' queries one by one (decide.ts), on small states where the kernel's answer is known:
 * which source answers (the era's per-page counts or the deciding scheme), PM_MMAP_EXCLUSIVE under
 * CONFIG_PAGE_MAPCOUNT and CONFIG_NO_PAGE_MAPCOUNT, the deferred-split test of __folio_remove_rmap(), and
 * where `decisionSources()` says each query is answered. Written for the mutants the search-level tests
 * (decide.test.ts, specs/deciders.yaml) leave alive (docs/mutation-testing.md).
 */
import { describe, expect, it } from 'vitest';
import { config, fault, fork, kernelAfter, twoMmsOneFolio, zap } from '../../test/helpers.js';
import type { Bounds } from './config.js';
import {
  decided_folio_mapcount,
  decided_folio_mapped,
  decided_folio_maybe_mapped_shared,
  decided_folio_partially_mapped,
  decisionSources,
  deferred_split_decision,
  own_folio_partially_mapped,
  page_mapped_exclusively,
} from './decide.js';
import type { Folio, Kernel, Page } from './include/mm_types.js';

const bounds = twoMmsOneFolio;
const stateAfter = (over: Partial<Bounds>, steps: Parameters<typeof kernelAfter>[1]): Kernel =>
  kernelAfter(config(bounds(over)), steps);
const folio0 = (k: Kernel): Folio => k.folio[0] as Folio;
const page = (k: Kernel, j: number): Page => folio0(k).pages[j] as Page;
/** PM_MMAP_EXCLUSIVE of page j of folio 0. */
const exclusive = (k: Kernel, j: number): boolean => page_mapped_exclusively(k, folio0(k), page(k, j));

describe('own_folio_partially_mapped (__folio_remove_rmap(), per-page mapcounts)', () => {
  it('some pages mapped and some not; not when all, none, or the whole folio by a PMD', () => {
    const k = stateAfter({}, [fault(0, 0)]);
    const f = folio0(k);
    const with_ = (counts: number[], entire = 0): boolean => {
      counts.forEach((c, j) => {
        (f.pages[j] as Page)._mapcount = c;
      });
      f._entire_mapcount = entire;
      return own_folio_partially_mapped(f);
    };
    expect(with_([1, 1, 1, 1])).toBe(false);
    expect(with_([0, 1, 1, 1])).toBe(true);
    expect(with_([0, 0, 0, 2])).toBe(true);
    expect(with_([0, 0, 0, 0])).toBe(false);
    expect(with_([0, 1, 1, 1], 1)).toBe(false);
  });
});

describe('deferred_split_decision', () => {
  it('a decider without a partially-mapped test (tuple-naive) leaves it to the era: a zapped page queues the folio', () => {
    const k = stateAfter({ era: '6.15', decider: 'tuple-naive' }, [fault(0, 0), zap(0, 0, 1)]);
    expect(decided_folio_partially_mapped(k, folio0(k))).toBeUndefined();
    expect(folio0(k).partially_mapped).toBe(1);
  });

  it('once queued it stays queued, and a fully mapped folio is not queued', () => {
    const k = stateAfter({ era: '6.15', decider: 'mm-id' }, [fault(0, 0)]);
    deferred_split_decision(k, folio0(k));
    expect(folio0(k).partially_mapped).toBe(0);
    folio0(k).partially_mapped = 1;
    deferred_split_decision(k, folio0(k));
    expect(folio0(k).partially_mapped).toBe(1);
  });
});

describe('the decided_* queries: the deciding scheme, or undefined (the era answers)', () => {
  it('folio_mapcount: from a scheme that counts mappings (MM-ID: four PTEs), not from one that counts tuples', () => {
    const mmId = stateAfter({ era: '6.15', decider: 'mm-id' }, [fault(0, 0)]);
    expect(decided_folio_mapcount(mmId, folio0(mmId))).toBe(4);
    const tuple = stateAfter({ era: '6.15', decider: 'tuple-naive' }, [fault(0, 0)]);
    expect(decided_folio_mapcount(tuple, folio0(tuple))).toBeUndefined();
    const none = stateAfter({ era: '6.15' }, [fault(0, 0)]);
    expect(decided_folio_mapcount(none, folio0(none))).toBeUndefined();
  });

  it('folio_mapped and folio_maybe_mapped_shared: from the scheme, before and after fork', () => {
    const k = stateAfter({ era: '6.15', decider: 'mm-id' }, [fault(0, 0)]);
    expect(decided_folio_mapped(k, folio0(k))).toBe(true);
    expect(decided_folio_maybe_mapped_shared(k, folio0(k))).toBe(false);
    const forked = stateAfter({ era: '6.15', decider: 'mm-id' }, [fault(0, 0), fork(0)]);
    expect(decided_folio_maybe_mapped_shared(forked, folio0(forked))).toBe(true);
  });

  it('a small folio and a scheme that keeps words for large folios only: the era answers', () => {
    const k = stateAfter({ era: '6.15', decider: 'mm-id', large: 1 }, [fault(0, 0)]);
    expect(decided_folio_mapped(k, folio0(k))).toBeUndefined();
    expect(decided_folio_maybe_mapped_shared(k, folio0(k))).toBeUndefined();
    expect(exclusive(k, 0)).toBe(true);
  });
});

describe('page_mapped_exclusively (PM_MMAP_EXCLUSIVE, fs/proc/task_mmu.c pte_to_pagemap_entry())', () => {
  // mm0 faults four pages and forks; the child unmaps page 0: page 0 is mapped once, by mm0 only, in a
  // folio both mms map.
  const tail = [fault(0, 0), fork(0), zap(1, 0, 1)];

  it('the era (CONFIG_PAGE_MAPCOUNT): the page’s own mapcount is 1', () => {
    const k = stateAfter({ era: '6.15' }, tail);
    expect([0, 1].map((j) => exclusive(k, j))).toEqual([true, false]);
    const once = stateAfter({ era: '6.15' }, [fault(0, 0)]);
    expect(exclusive(once, 0)).toBe(true);
  });

  it('page-mapcount deciding is CONFIG_PAGE_MAPCOUNT too: per page', () => {
    const k = stateAfter({ era: '6.15', decider: 'page-mapcount' }, tail);
    expect([0, 1].map((j) => exclusive(k, j))).toEqual([true, false]);
  });

  it('CONFIG_NO_PAGE_MAPCOUNT (MM-ID, large-mapcount): a page of a large folio is exclusive iff the folio is not maybe shared', () => {
    for (const decider of ['mm-id', 'large-mapcount'] as const) {
      const k = stateAfter({ era: '6.15', decider }, tail);
      expect(
        [0, 1].map((j) => exclusive(k, j)),
        decider,
      ).toEqual([false, false]);
      const once = stateAfter({ era: '6.15', decider }, [fault(0, 0)]);
      expect(
        [0, 3].map((j) => exclusive(once, j)),
        decider,
      ).toEqual([true, true]);
    }
  });

  it('a small folio under a scheme that counts it (tuple-naive): its folio_mapcount is 1', () => {
    const k = stateAfter({ era: '6.15', decider: 'tuple-naive', large: 1 }, [fault(0, 0)]);
    expect(exclusive(k, 0)).toBe(true);
    const forked = stateAfter({ era: '6.15', decider: 'tuple-naive', large: 1 }, [fault(0, 0), fork(0)]);
    expect(exclusive(forked, 0)).toBe(false);
  });
});

describe('decisionSources', () => {
  const table = (over: Partial<Bounds>): string[] =>
    decisionSources(config(bounds(over))).map((r) => `${r.point} ${r.query}: ${r.from}`);
  const era = (mmId: boolean) => (q: string) =>
    q === 'folio_maybe_mapped_shared' && mmId ? 'the era (MM-ID)' : 'the era (page mapcounts)';
  // Every decision point's queries, in order (DECISION_POINTS).
  const ROWS: [string, string][] = [
    ['cow-reuse-large', 'folio_mapcount'],
    ['cow-reuse-large', 'folio_maybe_mapped_shared'],
    ['cow-reuse-mapcount', 'folio_mapcount'],
    ['deferred-split', 'folio_partially_mapped'],
    ['reclaim-mapped', 'folio_mapped'],
    ['pageout-shared', 'folio_maybe_mapped_shared'],
    ['pageout-shared', 'folio_mapcount'],
    ['pagemap-exclusive', 'page_mapped_exclusively'],
    ['pagemap-exclusive', 'folio_maybe_mapped_shared'],
  ];

  it('without a decider the era answers: the MM-ID for maybe-shared from 6.15, page mapcounts otherwise', () => {
    expect(table({ era: '6.15' })).toEqual(ROWS.map(([p, q]) => `${p} ${q}: ${era(true)(q)}`));
    expect(table({ era: '5.19' })).toEqual(ROWS.map(([p, q]) => `${p} ${q}: ${era(false)(q)}`));
  });

  it('MM-ID deciding answers every query, for large folios only', () => {
    expect(table({ era: '6.15', decider: 'mm-id' })).toEqual(
      ROWS.map(([p, q]) => `${p} ${q}: mm-id (large folios; small: the era)`),
    );
  });

  it('tuple-naive (small folios too) answers all but folio_mapcount (it counts tuples) and the partially-mapped test', () => {
    const own = era(true);
    expect(table({ era: '6.15', decider: 'tuple-naive' })).toEqual(
      ROWS.map(([p, q]) =>
        q === 'folio_mapcount' || q === 'folio_partially_mapped' ? `${p} ${q}: ${own(q)}` : `${p} ${q}: tuple-naive`,
      ),
    );
  });
});
