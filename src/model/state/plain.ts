/**
 * Plain-object kernels: the readable representation (test fixtures, immer drafts, JSON traces).
 *
 * The records' fields come from the generated helpers (views.generated.ts, after schema.ts); here only the
 * arrays and the initial state.
 */
import type { Config } from '../config.js';
import type { Folio, Kernel, Mm, Page, Pin, Pmd, Pte, SwapSlot, Vm } from './schema.js';
import {
  copyFolioFields,
  copyKernelFields,
  copyMmFields,
  copyPage,
  copyPin,
  copyPmd,
  copyPte,
  copySwapSlot,
  copyVm,
  makeFolioFields,
  makeKernelFields,
  makeMmFields,
  makePage,
  makePin,
  makePmd,
  makePte,
  makeSwapSlot,
  makeVm,
} from './views.generated.js';

export { clearPin, clearPte, copyPin, copyPte, makePin, makePte } from './views.generated.js';

const freeFolio = (large: number, words: number): Folio => ({
  ...makeFolioFields(),
  mc: Array.from({ length: words }, () => 0),
  pages: Array.from({ length: large }, makePage),
});

/**
 * The initial state: mm 0 exists with one anonymous, writable VMA over pages 0..map-1 (pgoff = address)
 * and every PTE none; no folio is allocated, nothing is pinned or swapped.
 */
export function createKernel(cfg: Config): Kernel {
  const mm: Mm[] = Array.from({ length: cfg.mms }, (_, m) => ({
    ...makeMmFields(),
    live: m === 0,
    pte: Array.from({ length: cfg.va }, makePte),
    pmd: Array.from({ length: cfg.nrPt }, makePmd),
    vm: Array.from({ length: cfg.va }, (_, a) =>
      m === 0 && a < cfg.map ? { ...makeVm(), mapped: true, write: true, account: true, pgoff: a } : makeVm(),
    ),
    expect: Array.from({ length: cfg.va }, () => 0),
  }));
  return {
    ...makeKernelFields(),
    cfg,
    mm,
    folio: Array.from({ length: cfg.slots }, () => freeFolio(cfg.folioPages, cfg.mcWords)),
    pin: Array.from({ length: cfg.pins }, makePin),
    swap: Array.from({ length: cfg.swap }, makeSwapSlot),
  };
}

/** Copies every field of `src` into `dst`; both may be of either representation, with one config. */
export function copyKernel(src: Kernel, dst: Kernel): void {
  for (let m = 0; m < src.mm.length; m++) {
    const sm = src.mm[m] as Mm;
    const dm = dst.mm[m] as Mm;
    copyMmFields(sm, dm);
    for (let a = 0; a < sm.pte.length; a++) {
      copyPte(sm.pte[a] as Pte, dm.pte[a] as Pte);
      copyVm(sm.vm[a] as Vm, dm.vm[a] as Vm);
      dm.expect[a] = sm.expect[a] as number;
    }
    for (let t = 0; t < sm.pmd.length; t++) copyPmd(sm.pmd[t] as Pmd, dm.pmd[t] as Pmd);
  }
  for (let s = 0; s < src.folio.length; s++) {
    const sf = src.folio[s] as Folio;
    const df = dst.folio[s] as Folio;
    copyFolioFields(sf, df);
    for (let i = 0; i < sf.mc.length; i++) df.mc[i] = sf.mc[i] as number;
    for (let j = 0; j < sf.pages.length; j++) copyPage(sf.pages[j] as Page, df.pages[j] as Page);
  }
  for (let k = 0; k < src.pin.length; k++) copyPin(src.pin[k] as Pin, dst.pin[k] as Pin);
  for (let i = 0; i < src.swap.length; i++) copySwapSlot(src.swap[i] as SwapSlot, dst.swap[i] as SwapSlot);
  copyKernelFields(src, dst);
}

/** A plain copy of any kernel. */
export function toPlain(k: Kernel): Kernel {
  const p = createKernel(k.cfg);
  copyKernel(k, p);
  return p;
}
