/**
 * `--read-allocates`: a read fault on an empty PTE allocates as a write fault does, where the kernel may not
 * map the zero page (docs/kernel-rules.md §2.1 step 1: mm_forbids_zeropage(), and guest kernels that never
 * map it). The expectations are do_anonymous_page()'s past its zero-page branch (mm/memory.c): the folio
 * alloc_anon_folio() picks, every page AE, the PTEs writable exactly when the VMA has VM_WRITE.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  folioOf,
  kernelAfter,
  mapPte,
  mprotect,
  pteOf,
  read,
  write,
} from '../../../../test/helpers.js';
import { type Action, applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { createKernel } from '../../state/plain.js';
import { CORE_OPS } from '../../steps/index.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({ ops: [...CORE_OPS, 'write', 'read', 'mprotect'], readAllocates: true, ...over });

describe('read faults that allocate (--read-allocates, docs/kernel-rules.md §2.1 step 1)', () => {
  it('§2.1 steps 2-4: a load from a none PTE maps the aligned order-2 folio, every page AE, RW: no zero page', () => {
    expectStep(kernelAfter(cfg(), []), read(0, 1), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 4, _refcount: 4 });
      for (let j = 0; j < 4; j++) {
        mapPte(d, 0, j, 0, j, true);
        Object.assign(folioOf(d, 0).pages[j] ?? {}, { _mapcount: 1, anon_exclusive: true });
      }
    });
  });

  it('§2.1 step 4: in a VMA without VM_WRITE the folio is mapped read-only, still AE; a store is SIGSEGV', () => {
    const before = kernelAfter(cfg({ large: 1 }), [mprotect(0, 0, 4, 'ro')]);
    const { after } = expectStep(before, read(0, 2), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 1, _refcount: 1 });
      mapPte(d, 0, 2, 0, 0, false);
      Object.assign(folioOf(d, 0).pages[0] ?? {}, { _mapcount: 1, anon_exclusive: true });
    });
    expectRefused(after, write(0, 2), 'EFAULT');
    // Made writable again, mprotect() upgrades the PTE itself: the page is AE (change_pte_range():
    // can_change_pte_writable()), so a store needs no fault.
    const rw = kernelAfter(cfg({ large: 1 }), [mprotect(0, 0, 4, 'ro'), read(0, 2), mprotect(0, 0, 4, 'rw')]);
    expect(pteOf(rw, 0, 2).write).toBe(true);
    expectRefused(rw, write(0, 2), 'NOP');
  });

  it('a load from a present page needs no fault, with or without the zero page (NOP)', () => {
    expectRefused(kernelAfter(cfg(), [write(0, 0)]), read(0, 1), 'NOP');
    expectRefused(kernelAfter(cfg(), [read(0, 0)]), read(0, 3), 'NOP');
  });

  /** Steps for random prefixes: each applied where enabled, skipped where not. */
  const vocabulary = fc.oneof(
    fc.record({ kind: fc.constant('write'), mm: fc.nat(1), addr: fc.nat(7) }),
    fc.record({ kind: fc.constant('read'), mm: fc.nat(1), addr: fc.nat(7) }),
    fc.record({ kind: fc.constant('fork'), mm: fc.nat(1) }),
    fc.record({
      kind: fc.constant('zap'),
      mm: fc.nat(1),
      addr: fc.constantFrom(0, 2, 4, 6),
      nr: fc.constantFrom(1, 2),
    }),
  ) as fc.Arbitrary<Action>;

  test.prop([fc.array(vocabulary, { maxLength: 8 }), fc.nat(1), fc.nat(7)])(
    'a read fault on a none PTE changes the state exactly as a store would (contents not tracked)',
    (prefix, m, addr) => {
      const c = cfg({ mms: 2, va: 8, pt: 4, large: 4, slots: 8, ops: [...CORE_OPS, 'write', 'read'] });
      const stateAfter = (last: Action) => {
        const k = createKernel(c);
        for (const a of prefix) applyAction(k, a);
        const ret = applyAction(k, last);
        return { ret, k: JSON.stringify({ ...k, cfg: undefined }) };
      };
      const r = stateAfter({ kind: 'read', mm: m, addr } as Action);
      const w = stateAfter({ kind: 'write', mm: m, addr } as Action);
      if (r.ret === 'NOP') return; // the PTE was present already: a store may still fault (COW), a load not
      expect(r).toEqual(w);
    },
  );

  it('without the bound a load maps the zero page (the default)', () => {
    const k = kernelAfter(config({ ops: [...CORE_OPS, 'read'] }), [read(0, 1)]);
    expect(k.mm[0]?.pte[1]?.zero).toBe(true);
    expect(k.nr_folios).toBe(0);
  });
});
