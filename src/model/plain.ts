/**
 * Plain-object kernels: the readable representation (test fixtures, immer drafts, JSON traces).
 */
import type { Config } from './config.js';
import type { Folio, Kernel, Mm, Page, Pin, Pmd, Pte, SwapSlot, Vm } from './include/mm_types.js';

const nonePte = (): Pte => ({
  present: false,
  write: false,
  folio: 0,
  page: 0,
  zero: false,
  swp: false,
  swp_exclusive: false,
  swap: 0,
});
const tablePmd = (): Pmd => ({ huge: false, write: false, folio: 0 });
const freePage = (): Page => ({ _mapcount: 0, anon_exclusive: false, data: 0 });
const freeFolio = (large: number, words: number): Folio => ({
  used: false,
  nr_pages: 0,
  _refcount: 0,
  _pincount: 0,
  _entire_mapcount: 0,
  mc: Array.from({ length: words }, () => 0),
  pages: Array.from({ length: large }, freePage),
});
const emptyPin = (): Pin => ({
  live: false,
  mm: 0,
  addr: 0,
  folio: 0,
  page: 0,
  attached: false,
  write: false,
  expect: 0,
});
const freeSwap = (): SwapSlot => ({ used: false, count: 0, data: 0 });

/**
 * The initial state: mm 0 exists with one anonymous, writable VMA over pages 0..map-1 (pgoff = address)
 * and every PTE none; no folio is allocated, nothing is pinned or swapped.
 */
export function createKernel(cfg: Config): Kernel {
  const mm: Mm[] = Array.from({ length: cfg.mms }, (_, m) => ({
    live: m === 0,
    pte: Array.from({ length: cfg.va }, nonePte),
    pmd: Array.from({ length: cfg.nrPt }, tablePmd),
    vm: Array.from(
      { length: cfg.va },
      (_, a): Vm =>
        m === 0 && a < cfg.map
          ? { mapped: true, write: true, dontcopy: false, pgoff: a }
          : { mapped: false, write: false, dontcopy: false, pgoff: 0 },
    ),
    expect: Array.from({ length: cfg.va }, () => 0),
  }));
  return {
    cfg,
    mm,
    folio: Array.from({ length: cfg.slots }, () => freeFolio(cfg.folioPages, cfg.mcWords)),
    nr_folios: 0,
    pin: Array.from({ length: cfg.pins }, emptyPin),
    swap: Array.from({ length: cfg.swap }, freeSwap),
    values: 0,
  };
}

/** Copies every field of `src` into `dst`; both may be of either representation, with one config. */
export function copyKernel(src: Kernel, dst: Kernel): void {
  for (let m = 0; m < src.mm.length; m++) {
    const sm = src.mm[m] as Mm;
    const dm = dst.mm[m] as Mm;
    dm.live = sm.live;
    for (let a = 0; a < sm.pte.length; a++) {
      copyPte(sm.pte[a] as Pte, dm.pte[a] as Pte);
      const sv = sm.vm[a] as Vm;
      const dv = dm.vm[a] as Vm;
      dv.mapped = sv.mapped;
      dv.write = sv.write;
      dv.dontcopy = sv.dontcopy;
      dv.pgoff = sv.pgoff;
      dm.expect[a] = sm.expect[a] as number;
    }
    for (let t = 0; t < sm.pmd.length; t++) {
      const sp = sm.pmd[t] as Pmd;
      const dp = dm.pmd[t] as Pmd;
      dp.huge = sp.huge;
      dp.write = sp.write;
      dp.folio = sp.folio;
    }
  }
  for (let s = 0; s < src.folio.length; s++) {
    const sf = src.folio[s] as Folio;
    const df = dst.folio[s] as Folio;
    df.used = sf.used;
    df.nr_pages = sf.nr_pages;
    df._refcount = sf._refcount;
    df._pincount = sf._pincount;
    df._entire_mapcount = sf._entire_mapcount;
    for (let i = 0; i < sf.mc.length; i++) df.mc[i] = sf.mc[i] as number;
    for (let j = 0; j < sf.pages.length; j++) {
      const sg = sf.pages[j] as Page;
      const dg = df.pages[j] as Page;
      dg._mapcount = sg._mapcount;
      dg.anon_exclusive = sg.anon_exclusive;
      dg.data = sg.data;
    }
  }
  dst.nr_folios = src.nr_folios;
  for (let k = 0; k < src.pin.length; k++) copyPin(src.pin[k] as Pin, dst.pin[k] as Pin);
  for (let i = 0; i < src.swap.length; i++) {
    const ss = src.swap[i] as SwapSlot;
    const ds = dst.swap[i] as SwapSlot;
    ds.used = ss.used;
    ds.count = ss.count;
    ds.data = ss.data;
  }
  dst.values = src.values;
}

/** Copies one PTE (mremap moves them). */
export function copyPte(src: Pte, dst: Pte): void {
  dst.present = src.present;
  dst.write = src.write;
  dst.folio = src.folio;
  dst.page = src.page;
  dst.zero = src.zero;
  dst.swp = src.swp;
  dst.swp_exclusive = src.swp_exclusive;
  dst.swap = src.swap;
}

/** Makes a PTE none (pte_clear()). */
export function clearPte(pte: Pte): void {
  pte.present = false;
  pte.write = false;
  pte.folio = 0;
  pte.page = 0;
  pte.zero = false;
  pte.swp = false;
  pte.swp_exclusive = false;
  pte.swap = 0;
}

/** Copies one pin entry (the pin table moves entries to stay sorted). */
export function copyPin(src: Pin, dst: Pin): void {
  dst.live = src.live;
  dst.mm = src.mm;
  dst.addr = src.addr;
  dst.folio = src.folio;
  dst.page = src.page;
  dst.attached = src.attached;
  dst.write = src.write;
  dst.expect = src.expect;
}

/** A plain copy of any kernel. */
export function toPlain(k: Kernel): Kernel {
  const p = createKernel(k.cfg);
  copyKernel(k, p);
  return p;
}
