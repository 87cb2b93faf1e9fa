import { describe, expect, test } from 'vitest';
import type { Action } from '../model/actions.js';
import { makeConfig } from '../model/configure.js';
import type { Kernel } from '../model/include/mm_types.js';
import { OP_NAMES } from '../model/steps/index.js';
import { parseScript, resolveScript } from '../script.js';
import { KernelSystem } from '../spec.js';
import { replay } from '../trace.js';
import { compareContinuity, compareState } from './compare.js';
import type { MmObs, PageObs } from './helper.js';
import { splitsOf } from './replay.js';

const cfg = makeConfig({ mms: 2, va: 4, pt: 4, large: 1, slots: 4, pins: 1, ops: OP_NAMES, era: '6.15', data: true });

/** The model's states after each step of `script`. */
function states(script: string): Kernel[] {
  const sys = new KernelSystem(cfg);
  const r = replay(sys, resolveScript(sys, parseScript(script, 'test'), 'test'), false, true);
  return [r.initial, ...r.steps.map((s) => s.after)];
}

const none: PageObs = 'n';
const page = (pfn: number, count: number, data: number, head = pfn, nr = 1): PageObs =>
  ['p', pfn, count === 1 ? 1 : 0, count, 0, head, nr, data] as const;
const zero: PageObs = ['p', 7, 0, 0, 2 ** 24, 7, 1, 0];
const mm = (m: number, ...pages: PageObs[]): MmObs => ({ mm: m, pid: 100 + m, pages });

describe('compareState', () => {
  test('a written page conforms under any PFN, and differs on a wrong mapcount or data', () => {
    const [, k] = states('write(0,0)') as [Kernel, Kernel];
    const data = k.folio[k.mm[0]?.pte[0]?.folio ?? 0]?.pages[0]?.data ?? -1;
    expect(compareState(k, [mm(0, page(1234, 1, data), none, none, none)])).toEqual([]);
    expect(compareState(k, [mm(0, page(99, 1, data), none, none, none)])).toEqual([]);
    expect(compareState(k, [mm(0, page(99, 2, data), none, none, none)])[0]?.what).toMatch(/mapcount 1, kpagecount 2/);
    expect(compareState(k, [mm(0, page(99, 1, data + 1), none, none, none)])[0]?.what).toMatch(/data/);
    expect(compareState(k, [mm(0, none, none, none, none)])[0]?.what).toMatch(/mm0 page 0: model folio/);
  });

  test('the renaming must be a bijection: one model page shared by fork is one PFN', () => {
    const k = states('write(0,0); fork(0)')[2] as Kernel;
    const data = k.folio[k.mm[0]?.pte[0]?.folio ?? 0]?.pages[0]?.data ?? -1;
    const shared = [mm(0, page(5, 2, data), none, none, none), mm(1, page(5, 2, data), none, none, none)];
    expect(compareState(k, shared)).toEqual([]);
    const copied = [mm(0, page(5, 2, data), none, none, none), mm(1, page(6, 2, data), none, none, none)];
    expect(
      compareState(k, copied)
        .map((d) => d.what)
        .join(),
    ).toMatch(/model page 0:0 is pfn 5 at one place and pfn 6/);
    expect(compareState(k, [shared[0] as MmObs])[0]?.what).toMatch(/mm1: model live, kernel has no process/);
  });

  test('the zero page is recognised by its kpageflags', () => {
    const k = states('read(0,1)')[1] as Kernel;
    expect(compareState(k, [mm(0, none, zero, none, none)])).toEqual([]);
    expect(compareState(k, [mm(0, none, page(8, 1, 0), none, none)])[0]?.what).toMatch(/model the zero page/);
  });

  test('a folio layout that differs from the model is named, a smaller kernel folio as an allowance', () => {
    const [, k] = states('write(0,0)') as [Kernel, Kernel];
    const data = k.folio[k.mm[0]?.pte[0]?.folio ?? 0]?.pages[0]?.data ?? -1;
    const d = compareState(k, [mm(0, page(13, 1, data, 12, 4), none, none, none)]);
    expect(d[0]?.what).toMatch(/folio of 1 pages, kernel's of 4/);
    expect(d[0]?.allowance).toBeUndefined();
  });
});

describe('compareContinuity', () => {
  test('a COW reuse keeps the PFN, a copy replaces it', () => {
    const [, , forked, cow] = states('write(0,0); fork(0); write(1,0)') as [Kernel, Kernel, Kernel, Kernel];
    const d0 = forked.folio[forked.mm[0]?.pte[0]?.folio ?? 0]?.pages[0]?.data ?? -1;
    const before = [mm(0, page(5, 2, d0), none, none, none), mm(1, page(5, 2, d0), none, none, none)];
    const d1 = cow.folio[cow.mm[1]?.pte[0]?.folio ?? 0]?.pages[0]?.data ?? -1;
    const copied = [mm(0, page(5, 1, d0), none, none, none), mm(1, page(6, 1, d1), none, none, none)];
    expect(compareContinuity(forked, before, cow, copied)).toEqual([]);
    const reusedByParent = [mm(0, page(4, 1, d0), none, none, none), mm(1, page(6, 1, d1), none, none, none)];
    expect(compareContinuity(forked, before, cow, reusedByParent)[0]?.what).toMatch(
      /mm0 page 0: model keeps its page .* kernel replaces it \(pfn 5 -> 4\)/,
    );
  });
});

describe('compareContinuity across a split', () => {
  const large = makeConfig({ mms: 1, va: 4, pt: 4, large: 4, slots: 6, pins: 1, swap: 2, ops: OP_NAMES, era: '6.15' });

  test('a page a split moves into a folio of its own keeps its PFN: kept, not copied (split_huge_page() renames)', () => {
    const sys = new KernelSystem(large);
    const r = replay(sys, resolveScript(sys, parseScript('fault(0,3); pageout(0,2,1)', 'test'), 'test'), false, true);
    const [faulted, split] = [r.steps[0]?.after, r.steps[1]?.after] as [Kernel, Kernel];
    // Page 3 stays mapped, now as page 0 of a small folio of its own.
    expect(split.mm[0]?.pte[3]?.folio).not.toBe(faulted.mm[0]?.pte[3]?.folio);
    const obs = (p3: number): MmObs[] => [mm(0, page(20, 1, 0, 20, 4), page(21, 1, 0, 20, 4), none, page(p3, 1, 0))];
    const before = [mm(0, page(20, 1, 0, 20, 4), page(21, 1, 0, 20, 4), page(22, 1, 0, 20, 4), page(23, 1, 0, 20, 4))];
    const renames = splitsOf(faulted, r.steps[1]?.action as Action);
    // Pages 1..3 move (page 2 then goes to swap); page 0 stays in the folio's slot.
    const f = faulted.mm[0]?.pte[0]?.folio;
    expect([...renames.keys()].sort()).toEqual([`${f}:1`, `${f}:2`, `${f}:3`]);
    expect(compareContinuity(faulted, before, split, obs(23), renames)).toEqual([]);
    expect(compareContinuity(faulted, before, split, obs(23))[0]?.what).toMatch(
      /model replaces its page .* kernel keeps it/,
    );
    expect(compareContinuity(faulted, before, split, obs(30), renames)[0]?.what).toMatch(
      /model keeps its page .* kernel replaces it/,
    );
  });
});
