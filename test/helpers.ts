/**
 * Shared test helpers: fixtures built by running the model's own actions, expected states written as immer
 * edits of the state before, and the cross-check that the search's typed-array views agree with the plain
 * objects on every step. (Over 300 lines on purpose: the one set of fixtures that every unit test of the
 * model imports; its parts call each other, so splitting it would only spread one vocabulary over files.)
 */
import { enablePatches, type Patch, produce, produceWithPatches } from 'immer';
import { expect } from 'vitest';
import { type Action, type ActionError, actionLabel, applyAction, enumerateActions } from '../src/model/actions.js';
import type { Bounds, Config } from '../src/model/config.js';
import { makeConfig } from '../src/model/configure.js';
import type { Folio, Kernel, Mm, Page, Pin, Pte } from '../src/model/include/mm_types.js';
import type { Invariant } from '../src/model/invariants/defineInvariant.js';
import { pin_sort } from '../src/model/mm/gup/pin_table.js';
import { PRESETS } from '../src/model/presets.js';
import { Truth } from '../src/model/recount/truth.js';
import { createKernel, toPlain } from '../src/model/state/plain.js';
import { KernelSystem } from '../src/spec.js';

enablePatches();

/** bench-core's core-safe bounds (docs/bench-core.md) with some fields changed. */
export function config(over: Partial<Bounds> = {}): Config {
  return makeConfig({ ...PRESETS['core-safe'], ...over });
}

export const fault = (mm: number, addr: number): Action => ({ kind: 'fault', mm, addr });
export const zap = (mm: number, addr: number, nr: number): Action => ({ kind: 'zap', mm, addr, nr });
export const fork = (mm = 0): Action => ({ kind: 'fork', mm });
export const wp = (mm: number, addr: number): Action => ({ kind: 'wp', mm, addr });
export const pin = (mm: number, addr: number): Action => ({ kind: 'pin', mm, addr });
export const unpin = (idx: number): Action => ({ kind: 'unpin', pin: idx });

/** The initial state of `cfg` after `actions`, each of which must be enabled: a plain, mutable kernel. */
export function kernelAfter(cfg: Config, actions: readonly Action[]): Kernel {
  const k = createKernel(cfg);
  actions.forEach((a, i) => {
    const ret = applyAction(k, a);
    if (ret !== 0) throw new Error(`fixture step ${i + 1} ${actionLabel(a)} is not enabled (${ret})`);
  });
  return k;
}

/** Two mms over one large folio of four pages, no pins: the decision tests' geometry, with fields changed. */
export const twoMmsOneFolio = (over: Partial<Bounds> = {}): Partial<Bounds> => ({
  mms: 2,
  va: 4,
  pt: 4,
  large: 4,
  slots: 6,
  pins: 0,
  ops: ['fault', 'fork', 'zap', 'write', 'exit'],
  ...over,
});

/** An invariant's verdict on `k` against a fresh recount, with the lines its explain() gives. */
export function invariantVerdict(inv: Invariant, k: Kernel): { ok: boolean; lines: string[] } {
  const t = new Truth(k.cfg);
  t.recount(k);
  return { ok: inv.holds(k, t), lines: inv.explain(k, t) };
}

/** Field accessors that fail loudly instead of returning undefined (noUncheckedIndexedAccess). */
export function mmOf(k: Kernel, m: number): Mm {
  const mm = k.mm[m];
  if (mm === undefined) throw new Error(`no mm${m}`);
  return mm;
}
export function pteOf(k: Kernel, m: number, a: number): Pte {
  const pte = k.mm[m]?.pte[a];
  if (pte === undefined) throw new Error(`no PTE mm${m} ${a}`);
  return pte;
}
export function folioOf(k: Kernel, s: number): Folio {
  const folio = k.folio[s];
  if (folio === undefined) throw new Error(`no folio slot ${s}`);
  return folio;
}
export function pageOf(k: Kernel, s: number, j: number): Page {
  const page = folioOf(k, s).pages[j];
  if (page === undefined) throw new Error(`no page ${j} in folio slot ${s}`);
  return page;
}
export function pinOf(k: Kernel, i: number): Pin {
  const p = k.pin[i];
  if (p === undefined) throw new Error(`no pin entry ${i}`);
  return p;
}

/** A step of the model: an action, or a direct call of a kernel function (an unshare fault). */
export type Step = Action | ((k: Kernel) => 0 | string);

const run = (k: Kernel, s: Step): 0 | string => (typeof s === 'function' ? s(k) : applyAction(k, s));

/** The canonical encoding of any kernel, as the search stores it. */
export function encodingOf(k: Kernel): number[] {
  const sys = new KernelSystem(k.cfg);
  const out = new Uint32Array(sys.stateWords);
  sys.encodeKernel(k, out, 0);
  return [...out];
}

/** The index of `a` among the configuration's action instances (what the search and traces use). */
export function actionIndex(sys: KernelSystem, a: Action): number {
  const label = actionLabel(a);
  const i = sys.actions.findIndex((x) => actionLabel(x) === label);
  if (i < 0) throw new Error(`${label} is not an action of this configuration`);
  return i;
}

/**
 * Runs `s` on the search's representation: `before` encoded, loaded into the `KernelView` (slots renamed to
 * canonical order), stepped there. Returns the step's result and, when enabled, the canonical encoding.
 */
export function stepOnView(before: Kernel, s: Step): { ret: 0 | string; words?: number[] } {
  const sys = new KernelSystem(before.cfg);
  const start = new Uint32Array(sys.stateWords);
  sys.encodeKernel(before, start, 0);
  sys.load(start, 0);
  const out = new Uint32Array(sys.stateWords);
  if (typeof s === 'function') {
    const ret = s(sys.work);
    if (ret !== 0) return { ret };
    sys.codec.encode(sys.work.w, out, 0);
    return { ret, words: [...out] };
  }
  if (sys.successor(actionIndex(sys, s), out, 0)) return { ret: 0, words: [...out] };
  // Not enabled: ask the view itself why.
  sys.load(start, 0);
  return { ret: applyAction(sys.work, s) };
}

/**
 * The rule under test: `s` applied to an immer draft of `before` must be enabled, and its result must equal
 * `before` with the hand-written `edits` (the rule as docs/kernel-rules.md states it). The same step on the search's
 * typed-array view must give the same canonical state. Returns the patches for tests that inspect them.
 */
export function expectStep(before: Kernel, s: Step, edits: (d: Kernel) => void): { after: Kernel; patches: Patch[] } {
  const [after, patches] = produceWithPatches(before, (d) => {
    expect(run(d as Kernel, s)).toBe(0);
  });
  const expected = produce(before, (d) => {
    edits(d as Kernel);
    // vma->anon_vma (its name, fork_child) and VM_ACCOUNT are VMA bookkeeping the rule tests written before
    // them do not state: taken from the step's result here, and checked by their own tests
    // (copy_page_range.anon_vma.test.ts, vma_merge.test.ts).
    for (const [m, mm] of (d as Kernel).mm.entries())
      for (const [a, vm] of mm.vm.entries()) {
        vm.anon_vma = (after as Kernel).mm[m]?.vm[a]?.anon_vma ?? 0;
        vm.fork_child = (after as Kernel).mm[m]?.vm[a]?.fork_child ?? false;
        vm.account = (after as Kernel).mm[m]?.vm[a]?.account ?? false;
      }
  });
  expect(after).toEqual(expected);
  const view = stepOnView(before, s);
  expect(view.ret).toBe(0);
  expect(view.words).toEqual(encodingOf(after));
  return { after, patches };
}

/** `s` is not enabled in `before`, for `code`, on plain objects and in the search alike. */
export function expectRefused(before: Kernel, s: Step, code: ActionError): void {
  expect(run(toPlain(before), s)).toBe(code);
  const view = stepOnView(before, s);
  expect(view.ret).toBe(code);
  expect(view.words).toBeUndefined();
}

/** Expected-state edit: the PTE is none (bench-core: a none PTE holds all zeros). */
/**
 * dup_mmap()'s VMA copy (docs/kernel-rules.md §2.7): the child exists and gets every VMA of the parent but the
 * VM_DONTCOPY ones, with the same flags and pgoff.
 */
export function forkChild(d: Kernel, parent: number, child: number): void {
  mmOf(d, child).live = true;
  mmOf(d, parent).vm.forEach((vm, a) => {
    if (vm.mapped && !vm.dontcopy) Object.assign(mmOf(d, child).vm[a] ?? {}, { ...vm });
  });
}

export function clearPte(d: Kernel, m: number, a: number): void {
  Object.assign(pteOf(d, m, a), { present: false, write: false, folio: 0, page: 0 });
}

/** Expected-state edit: bench-core put() at refcount 0 frees the slot, which then holds all zeros. */
export function freeSlot(d: Kernel, s: number): void {
  const folio = folioOf(d, s);
  Object.assign(folio, { used: false, nr_pages: 0, _refcount: 0, _pincount: 0 });
  for (let i = 0; i < folio.mc.length; i++) folio.mc[i] = 0;
  for (const page of folio.pages) Object.assign(page, { _mapcount: 0, anon_exclusive: false });
  d.nr_folios -= 1;
}

/**
 * A random execution, as the random explorer takes it: each choice picks an action instance by index; one
 * that is not enabled is replaced by the next enabled one in index order. Returns every state visited, the
 * initial one first (plain kernels, each a fresh object), and the actions taken between them.
 */
export function randomRun(cfg: Config, choices: readonly number[]): { states: Kernel[]; taken: Action[] } {
  const actions = enumerateActions(cfg);
  let k = createKernel(cfg);
  const states = [k];
  const taken: Action[] = [];
  for (const choice of choices) {
    let found = false;
    for (let i = 0; i < actions.length && !found; i++) {
      const a = actions[(choice + i) % actions.length] as Action;
      const next = toPlain(k);
      if (applyAction(next, a) !== 0) continue;
      found = true;
      k = next;
      states.push(k);
      taken.push(a);
    }
    if (!found) break;
  }
  return { states, taken };
}

/** The whole model's user steps (actions.ts), named as scripts name them. */
export const write = (mm: number, addr: number): Action => ({ kind: 'write', mm, addr });
export const read = (mm: number, addr: number): Action => ({ kind: 'read', mm, addr });
export const exit = (mm: number): Action => ({ kind: 'exit', mm });
export const munmap = (mm: number, addr: number, nr: number): Action => ({ kind: 'munmap', mm, addr, nr });
export const mprotect = (mm: number, addr: number, nr: number, prot: 'ro' | 'rw'): Action => ({
  kind: 'mprotect',
  mm,
  addr,
  nr,
  rw: prot === 'rw' ? 1 : 0,
});
export const dontfork = (mm: number, addr: number, nr: number): Action => ({ kind: 'dontfork', mm, addr, nr });
export const dofork = (mm: number, addr: number, nr: number): Action => ({ kind: 'dofork', mm, addr, nr });
export const mremap = (mm: number, addr: number, nr: number, to: number): Action => ({
  kind: 'mremap',
  mm,
  addr,
  nr,
  to,
});

/** Every operation on PTE-mapped memory: bench-core's and the user steps over VMAs (no huge PMDs). */
export const PTE_OPS = [
  'fault',
  'zap',
  'fork',
  'wp',
  'pin',
  'unpin',
  'write',
  'read',
  'exit',
  'munmap',
  'mprotect',
  'dontfork',
  'dofork',
  'mremap',
] as const satisfies Config['ops'];

/**
 * Expected-state edit: slot `s` holds a new order-0 folio, AE and mapped once, with content `data`
 * (wp_page_copy(), copy_present_page(): docs/kernel-rules.md §2.2, §2.7).
 */
export function newSmallFolio(d: Kernel, s: number, data = 0): void {
  d.nr_folios += 1;
  Object.assign(folioOf(d, s), { used: true, nr_pages: 1, _refcount: 1 });
  Object.assign(pageOf(d, s, 0), { _mapcount: 1, anon_exclusive: true, data });
}

/** Expected-state edit: the PTE at (m, a) is present and maps page `page` of slot `folio`. */
export function mapPte(d: Kernel, m: number, a: number, folio: number, page: number, write: boolean): void {
  Object.assign(pteOf(d, m, a), { present: true, write, folio, page, zero: false });
}

/** Expected-state edit: the VMA attributes of (m, a). */
export function setVm(d: Kernel, m: number, a: number, vm: Partial<Mm['vm'][number]>): void {
  const cur = mmOf(d, m).vm[a];
  if (cur === undefined) throw new Error(`no VMA entry mm${m} ${a}`);
  Object.assign(cur, vm);
}

/** freeSlot() with the contents: since data tracking, free_folio() zeroes every page's data as well. */
export function freeSlotZeroed(d: Kernel, s: number): void {
  freeSlot(d, s);
  for (const page of folioOf(d, s).pages) page.data = 0;
}

/** The steps on huge PMDs, folio splits, R/W pins and swap-out (actions.ts), named as scripts name them. */
export const thp = (mm: number, addr: number): Action => ({ kind: 'thp', mm, addr });
export const splitPmd = (mm: number, addr: number): Action => ({ kind: 'split_pmd', mm, addr });
export const splitFolio = (mm: number, addr: number): Action => ({ kind: 'split_folio', mm, addr });
export const pinRw = (mm: number, addr: number): Action => ({ kind: 'pin_rw', mm, addr });
export const pageout = (mm: number, addr: number, nr: number): Action => ({ kind: 'pageout', mm, addr, nr });
export const reclaim = (mm: number, addr: number, nr: number): Action => ({ kind: 'reclaim', mm, addr, nr });
export const get = (mm: number, addr: number): Action => ({ kind: 'get', mm, addr });
export const put = (idx: number): Action => ({ kind: 'put', pin: idx });

/** bench-core's operations, loads, stores and exit, with huge PMDs, folio splits, R/W pins and swap-out. */
export const THP_SWAP_OPS = [
  'fault',
  'zap',
  'fork',
  'wp',
  'pin',
  'unpin',
  'write',
  'read',
  'exit',
  'thp',
  'split_pmd',
  'split_folio',
  'pin_rw',
  'reclaim',
] as const satisfies Config['ops'];

/** The PMD entry of page table `t` of mm `m`, failing loudly. */
export function pmdOf(k: Kernel, m: number, t: number): Mm['pmd'][number] {
  const pmd = k.mm[m]?.pmd[t];
  if (pmd === undefined) throw new Error(`no PMD mm${m} table ${t}`);
  return pmd;
}

/**
 * Expected-state edit: slot `s` holds a new PMD-sized folio of `nr` pages mapped by a writable huge PMD of
 * (m, table t): refcount 1, _entire_mapcount 1, AE on the head only (docs/kernel-rules.md §2.1 step 5).
 */
export function newPmdFolio(d: Kernel, s: number, m: number, t: number, nr: number): void {
  d.nr_folios += 1;
  Object.assign(folioOf(d, s), { used: true, nr_pages: nr, _refcount: 1, _entire_mapcount: 1 });
  pageOf(d, s, 0).anon_exclusive = true;
  Object.assign(pmdOf(d, m, t), { huge: true, write: true, folio: s });
}

/** Expected-state edit: the PMD of (m, table t) no longer maps a folio (a PTE table, or none). */
export function clearPmd(d: Kernel, m: number, t: number): void {
  Object.assign(pmdOf(d, m, t), { huge: false, write: false, folio: 0 });
}

/** Expected-state edit: the PTE at (m, a) is a swap entry for swap slot `i`, with or without the marker. */
export function swapPte(d: Kernel, m: number, a: number, i: number, exclusive: boolean): void {
  Object.assign(pteOf(d, m, a), {
    present: false,
    write: false,
    folio: 0,
    page: 0,
    zero: false,
    swp: true,
    swp_exclusive: exclusive,
    swap: i,
  });
}

/** Expected-state edit: swap slot `i` has swap count `count` and content `data`; count 0 is a free slot. */
export function setSwap(d: Kernel, i: number, count: number, data = 0): void {
  const slot = d.swap[i];
  if (slot === undefined) throw new Error(`no swap slot ${i}`);
  Object.assign(slot, { used: count > 0, count, data: count > 0 ? data : 0 });
}

/**
 * Expected-state edit: swap slot `i` (swap count `count`, content `data`) holds folio `s` in the swapcache,
 * which takes its reference (mm/swap_state.ts).
 */
export function setSwapCache(d: Kernel, i: number, s: number, count: number, data = 0): void {
  const slot = d.swap[i];
  if (slot === undefined) throw new Error(`no swap slot ${i}`);
  Object.assign(slot, { used: true, count, data, cache: true, folio: s });
  folioOf(d, s)._refcount += 1;
}

/** mm-id's three-mm bounds (fault, fork, zap, exit over two 2-page tables): mm-id.test and mm-id.stats.test. */
export function threeMmsMmId(): Config {
  return config({
    mms: 3,
    va: 2,
    pt: 2,
    large: 2,
    slots: 4,
    ops: ['fault', 'fork', 'zap', 'exit'],
    schemes: ['mm-id'],
  });
}

/**
 * `k` with mm m renamed perm[m], field by field on a plain kernel (independent of state/symmetry.ts); with
 * `erase`, a detached pin names mm 0 (what it names is never read again).
 */
export function renamedKernel(k: Kernel, perm: readonly number[], erase: boolean): Kernel {
  const r = toPlain(k);
  const fresh = createKernel(k.cfg);
  k.mm.forEach((mm, m) => {
    const to = perm[m] as number;
    r.mm[to] = toPlain({ ...fresh, mm: [mm] } as Kernel).mm[0] as Kernel['mm'][number];
  });
  for (const p of r.pin) if (p.live) p.mm = erase && !p.attached ? 0 : (perm[p.mm] as number);
  pin_sort(r.pin);
  const ids = k.cfg.folioWords.flatMap((w, i) => (w.mmId === true ? [i] : []));
  for (const f of r.folio) {
    for (const i of ids) if ((f.mc[i] as number) > 0) f.mc[i] = (perm[(f.mc[i] as number) - 1] as number) + 1;
  }
  return r;
}
