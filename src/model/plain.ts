/**
 * Plain-object kernels: the readable representation (test fixtures, immer drafts, JSON traces).
 */
import type { Config } from './config.js';
import type { Folio, Kernel, Mm, Page, Pin, Pte } from './include/mm_types.js';

const nonePte = (): Pte => ({
  present: false,
  write: false,
  folio: 0,
  page: 0,
});
const freePage = (): Page => ({ _mapcount: 0, anon_exclusive: false });
const freeFolio = (large: number): Folio => ({
  used: false,
  nr_pages: 0,
  _refcount: 0,
  _pincount: 0,
  _tuple_mapcount: 0,
  pages: Array.from({ length: large }, freePage),
});
const emptyPin = (): Pin => ({
  live: false,
  mm: 0,
  addr: 0,
  folio: 0,
  page: 0,
  attached: false,
});

/** The initial state: mm 0 exists with every PTE none; no folio is allocated and nothing is pinned. */
export function createKernel(cfg: Config): Kernel {
  const mm: Mm[] = Array.from({ length: cfg.mms }, (_, m) => ({
    live: m === 0,
    pte: Array.from({ length: cfg.va }, nonePte),
  }));
  return {
    cfg,
    mm,
    folio: Array.from({ length: cfg.slots }, () => freeFolio(cfg.large)),
    nr_folios: 0,
    pin: Array.from({ length: cfg.pins }, emptyPin),
  };
}

/** Copies every field of `src` into `dst`; both may be of either representation, with one config. */
export function copyKernel(src: Kernel, dst: Kernel): void {
  for (let m = 0; m < src.mm.length; m++) {
    const sm = src.mm[m] as Mm;
    const dm = dst.mm[m] as Mm;
    dm.live = sm.live;
    for (let a = 0; a < sm.pte.length; a++) {
      const sp = sm.pte[a] as Pte;
      const dp = dm.pte[a] as Pte;
      dp.present = sp.present;
      dp.write = sp.write;
      dp.folio = sp.folio;
      dp.page = sp.page;
    }
  }
  for (let s = 0; s < src.folio.length; s++) {
    const sf = src.folio[s] as Folio;
    const df = dst.folio[s] as Folio;
    df.used = sf.used;
    df.nr_pages = sf.nr_pages;
    df._refcount = sf._refcount;
    df._pincount = sf._pincount;
    df._tuple_mapcount = sf._tuple_mapcount;
    for (let j = 0; j < sf.pages.length; j++) {
      const sg = sf.pages[j] as Page;
      const dg = df.pages[j] as Page;
      dg._mapcount = sg._mapcount;
      dg.anon_exclusive = sg.anon_exclusive;
    }
  }
  dst.nr_folios = src.nr_folios;
  for (let k = 0; k < src.pin.length; k++) copyPin(src.pin[k] as Pin, dst.pin[k] as Pin);
}

/** Copies one pin entry (the pin table moves entries to stay sorted). */
export function copyPin(src: Pin, dst: Pin): void {
  dst.live = src.live;
  dst.mm = src.mm;
  dst.addr = src.addr;
  dst.folio = src.folio;
  dst.page = src.page;
  dst.attached = src.attached;
}

/** A plain copy of any kernel. */
export function toPlain(k: Kernel): Kernel {
  const p = createKernel(k.cfg);
  copyKernel(k, p);
  return p;
}
