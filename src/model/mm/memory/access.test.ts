/**
 * User loads and stores with data tracking (access.ts; docs/kernel-rules.md §5 I15): every store puts a value no
 * one holds yet into the page it reaches, into the writer's own record and into the pins it holds there.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  forkChild,
  kernelAfter,
  mapPte,
  mmOf,
  newSmallFolio,
  pageOf,
  pin,
  pinOf,
  pteOf,
  read,
  wp,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import { CORE_OPS } from '../../steps/index.js';
import { storeFreshValue } from './access.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: [...CORE_OPS, 'write', 'read'], data: true, ...over });
const small = (over: Partial<Bounds> = {}) => cfg({ large: 1, ...over });

/** Expected-state edit: do_anonymous_page()'s order-2 folio in slot `s` over 0..3 of mm `m`, zero-filled. */
function newOrder2(d: Kernel, s: number, m: number): void {
  d.nr_folios += 1;
  Object.assign(folioOf(d, s), { used: true, nr_pages: 4, _refcount: 4 });
  for (let j = 0; j < 4; j++) {
    mapPte(d, m, j, s, j, true);
    Object.assign(pageOf(d, s, j), { _mapcount: 1, anon_exclusive: true });
  }
}

/** Expected-state edit: a store of the next value into page `page` of slot `s`, recorded by mm `m` at `a`. */
function stored(d: Kernel, m: number, a: number, s: number, page: number): number {
  d.values += 1;
  pageOf(d, s, page).data = d.values;
  mmOf(d, m).expect[a] = d.values;
  return d.values;
}

describe('userWrite / userRead with data tracking (docs/kernel-rules.md §5 I15)', () => {
  it('I15: a store that faults in a folio writes a fresh value into its own page only; the rest read zeroes', () => {
    expectStep(kernelAfter(cfg(), []), write(0, 1), (d) => {
      newOrder2(d, 0, 0);
      stored(d, 0, 1, 0, 1);
    });
  });

  it('I15: with data tracking a store that needs no fault is a step: a fresh value, no other change', () => {
    const before = kernelAfter(cfg(), [write(0, 0)]);
    expectStep(before, write(0, 0), (d) => {
      stored(d, 0, 0, 0, 0);
    });
    expectStep(before, write(0, 3), (d) => {
      stored(d, 0, 3, 0, 3);
    });
  });

  it('the bench-core write faults store too: fault on a none PTE, wp on a write-protected one', () => {
    expectStep(kernelAfter(cfg(), []), fault(0, 2), (d) => {
      newOrder2(d, 0, 0);
      stored(d, 0, 2, 0, 2);
    });
    expectStep(kernelAfter(small(), [write(0, 0), fork(0)]), wp(1, 0), (d) => {
      newSmallFolio(d, 1, 1); // the copy starts with the shared content, value 1 ...
      mapPte(d, 1, 0, 1, 0, true);
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 1;
      stored(d, 1, 0, 1, 0); // ... and the store then lands in it
    });
  });

  it('I15: a load never changes contents (NOP on a mapped page; the zero page reads zeroes)', () => {
    expectRefused(kernelAfter(cfg(), [write(0, 0)]), read(0, 0), 'NOP');
    expectStep(kernelAfter(cfg(), [write(0, 0), zap(0, 2, 2)]), read(0, 2), (d) => {
      pteOf(d, 0, 2).zero = true;
    });
  });

  it('§2.7 + I15: fork gives the child the parent’s record; the pages themselves are shared', () => {
    expectStep(kernelAfter(small(), [write(0, 1), write(0, 1)]), fork(0), (d) => {
      forkChild(d, 0, 1);
      mmOf(d, 1).expect[1] = 2;
      pteOf(d, 0, 1).write = false;
      mapPte(d, 1, 1, 0, 0, false);
      Object.assign(pageOf(d, 0, 0), { _mapcount: 2, anon_exclusive: false });
      folioOf(d, 0)._refcount = 2;
    });
  });

  it('§2.2 + I15: a COW leaves the other mm its content: the writer’s copy takes the new value, the old page keeps the old', () => {
    const before = kernelAfter(small(), [write(0, 0), fork(0)]);
    expectStep(before, write(0, 0), (d) => {
      newSmallFolio(d, 1, 1);
      mapPte(d, 0, 0, 1, 0, true);
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 1;
      stored(d, 0, 0, 1, 0); // mm0 now expects 2; mm1 still expects 1 and its page holds 1
    });
  });

  it('§2.4 + I15: an unshare copies the content, and the pin starts out seeing its owner’s record', () => {
    const before = kernelAfter(small(), [write(0, 0), fork(0)]);
    expectStep(before, pin(1, 0), (d) => {
      newSmallFolio(d, 1, 1);
      Object.assign(folioOf(d, 1), { _refcount: 2, _pincount: 1 });
      mapPte(d, 1, 0, 1, 0, false);
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 1;
      Object.assign(pinOf(d, 0), { live: true, mm: 1, addr: 0, folio: 1, page: 0, attached: true, expect: 1 });
    });
  });

  it('I15: a store through a pinned address updates the pin’s record; a pin elsewhere keeps its own', () => {
    expectStep(kernelAfter(cfg(), [write(0, 0), pin(0, 0)]), write(0, 0), (d) => {
      pinOf(d, 0).expect = stored(d, 0, 0, 0, 0);
    });
    expectStep(kernelAfter(cfg(), [write(0, 0), pin(0, 1)]), write(0, 0), (d) => {
      stored(d, 0, 0, 0, 0);
    });
  });

  it('I15: a store updates the writer’s own pins only: another mm’s pin of the same address keeps its record', () => {
    // The child's R/O pin unshared its page (a copy of its own); the parent, the only mapper of the old page
    // now, reuses it on the store (§2.2): the child's pin sees a page the store does not reach.
    const before = kernelAfter(small(), [write(0, 0), fork(0), pin(1, 0)]);
    expectStep(before, write(0, 0), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      pteOf(d, 0, 0).write = true;
      stored(d, 0, 0, 0, 0);
    });
  });

  it('storeFreshValue() stores nothing where nothing is mapped, or for an mm that does not exist', () => {
    for (const [m, a] of [
      [0, 2],
      [5, 0],
    ] as const) {
      // An order-0 folio at 0: nothing at 2.
      const k = kernelAfter(small(), [write(0, 0)]);
      const values = k.values;
      storeFreshValue(k, m, a);
      expect(k.values).toBe(values);
      expect(mmOf(k, 0).expect[2]).toBe(0);
    }
  });

  it('§2.11 + I15: a pin detached by a zap keeps the value it saw; the next store goes to a new folio', () => {
    const before = kernelAfter(cfg(), [write(0, 0), pin(0, 0), zap(0, 0, 4)]);
    expectStep(before, write(0, 0), (d) => {
      newOrder2(d, 1, 0);
      stored(d, 0, 0, 1, 0);
    });
  });

  it('a store that cannot happen changes nothing, not even the value counter (EFAULT, ENOMEM)', () => {
    expectRefused(kernelAfter(cfg({ map: 2 }), [write(0, 0)]), write(0, 2), 'EFAULT');
    expectRefused(kernelAfter(small({ slots: 1 }), [write(0, 0), fork(0)]), write(1, 0), 'ENOMEM');
  });
});
