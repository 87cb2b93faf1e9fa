/**
 * folio_try_dup_anon_rmap_ptes() at fork, 5.19+ (include/linux/rmap.h __folio_try_dup_anon_rmap(),
 * RMAP_LEVEL_PTE): a folio that may be pinned refuses to be shared only if some page of the batch is
 * PageAnonExclusive; copy_pte_range() then retries one PTE at a time, so exactly the exclusive pages are
 * copied for the child (copy_present_page()) and the shared ones are shared again ("a shared page is pinned
 * R/O only after an unshare, so it cannot be the pinned one").
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  exit,
  folioOf,
  fork,
  kernelAfter,
  pageOf,
  pin,
  pteOf,
  THP_SWAP_OPS,
  write,
} from '../../../test/helpers.js';

// 6.15, where a large folio can hold exclusive and shared pages at once: mm0 faults a 4-page folio and
// forks; the child exits; mm0's write to page 1 reuses it (the MM-ID: one mm maps the folio) and marks it
// exclusive again; a R/O pin of that exclusive page needs no unshare and makes the folio maybe pinned.
const cfg = config({ mms: 2, va: 4, pt: 4, large: 4, pins: 1, era: '6.15', ops: THP_SWAP_OPS });
const mixed = [write(0, 0), fork(0), exit(1), write(0, 1), pin(0, 1)];

describe('folio_try_dup_anon_rmap_ptes (fork of a maybe-pinned large folio, 5.19+)', () => {
  it('the fixture: one folio, page 1 exclusive and pinned, pages 0, 2, 3 shared (not exclusive)', () => {
    const k = kernelAfter(cfg, mixed);
    expect([0, 1, 2, 3].map((a) => pteOf(k, 0, a).folio)).toEqual([0, 0, 0, 0]);
    expect([0, 1, 2, 3].map((j) => pageOf(k, 0, j).anon_exclusive)).toEqual([false, true, false, false]);
  });

  it('fork copies the exclusive page for the child and shares the others', () => {
    const k = kernelAfter(cfg, [...mixed, fork(0)]);
    const child = [0, 1, 2, 3].map((a) => pteOf(k, 1, a));
    expect(child.map((p) => p.present)).toEqual([true, true, true, true]);
    expect([child[0]?.folio, child[2]?.folio, child[3]?.folio]).toEqual([0, 0, 0]);
    expect([child[0]?.page, child[2]?.page, child[3]?.page]).toEqual([0, 2, 3]);
    expect(child[1]?.folio).not.toBe(0);
    expect(folioOf(k, child[1]?.folio ?? 0).nr_pages).toBe(1);
    // The parent keeps the pinned page exclusive and mapped once; the shared ones are mapped twice.
    expect([0, 1, 2, 3].map((j) => pageOf(k, 0, j)._mapcount)).toEqual([2, 1, 2, 2]);
    expect(pageOf(k, 0, 1).anon_exclusive).toBe(true);
  });
});
