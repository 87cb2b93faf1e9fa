/**
 * Symmetry reduction over mm numbers: mms are interchangeable once created (fork gives the child the
 * lowest free number; nothing else tells them apart), so a state and the same state with its mms renumbered
 * are one state. The search stores the representative with the smallest encoding over every renaming.
 *
 * Context:  works on layout words (views.ts `Layout`) on the search's hot path, allocating nothing per
 *           state: an mm's whole record moves, and everything else that names an mm is renamed with it:
 *           pins (`mm`, then the table's canonical order, pin_table.ts: by (mm, addr), ties in pinning
 *           order) and the scheme words that hold an mm id (mm-id's owner slots, `WordSpec.mmId`).
 *           Folio, swap slot and content numbering need nothing here: the codec renumbers them in order
 *           of first reference, which it reaches through the renamed mms.
 */
import type { Config } from '../config.js';
import { FOLIO_AT, PIN_AT } from './views.generated.js';
import { type Layout, PIN_WORDS } from './views.js';

const { live: PIN_LIVE, mm: PIN_MM, addr: PIN_ADDR } = PIN_AT;
const { used: FOLIO_USED } = FOLIO_AT;

/** Every permutation of 0..n-1 but the identity, in lexicographic order. */
export function permutations(n: number): Int32Array[] {
  const out: Int32Array[] = [];
  const p = Int32Array.from({ length: n }, (_, i) => i);
  const walk = (k: number): void => {
    if (k === n) {
      if (p.some((v, i) => v !== i)) out.push(p.slice());
      return;
    }
    for (let i = k; i < n; i++) {
      [p[k], p[i]] = [p[i] as number, p[k] as number];
      walk(k + 1);
      [p[k], p[i]] = [p[i] as number, p[k] as number];
    }
  };
  walk(0);
  return out;
}

export class MmSymmetry {
  /** The renamings tried: every permutation of the mm numbers but the identity. */
  readonly perms: readonly Int32Array[];
  private readonly lay: Layout;
  private readonly cfg: Config;
  /** Offsets within `folio.mc` of the words that hold an mm id. */
  private readonly idWords: readonly number[];
  private readonly pinScratch = new Int32Array(PIN_WORDS);

  constructor(cfg: Config, lay: Layout) {
    this.cfg = cfg;
    this.lay = lay;
    this.perms = permutations(cfg.mms);
    this.idWords = cfg.folioWords.flatMap((w, i) => (w.mmId === true ? [i] : []));
  }

  /** `dst` = `src` with mm m renamed perm[m]. */
  permute(src: Int32Array, dst: Int32Array, perm: Int32Array): void {
    const { lay, cfg } = this;
    dst.set(src);
    for (let m = 0; m < cfg.mms; m++) {
      const from = lay.mm(m);
      dst.set(src.subarray(from, from + lay.mmSize), lay.mm(perm[m] as number));
    }
    for (let k = 0; k < cfg.pins; k++) {
      const o = lay.pin(k);
      if (dst[o + PIN_LIVE] !== 0) dst[o + PIN_MM] = perm[dst[o + PIN_MM] as number] as number;
    }
    this.sortPins(dst);
    if (this.idWords.length > 0) {
      for (let s = 0; s < cfg.slots; s++) {
        const o = lay.folio(s);
        if (dst[o + FOLIO_USED] === 0) continue;
        for (const i of this.idWords) {
          const at = o + lay.mcBase + i;
          const id = dst[at] as number;
          if (id > 0) dst[at] = (perm[id - 1] as number) + 1;
        }
      }
    }
  }

  /** pin_sort() on words: a stable insertion sort by (mm, addr), live entries first. */
  private sortPins(w: Int32Array): void {
    const { lay, cfg, pinScratch } = this;
    for (let i = 1; i < cfg.pins; i++) {
      for (let j = i; j > 0; j--) {
        const a = lay.pin(j - 1);
        const b = lay.pin(j);
        if (w[b + PIN_LIVE] === 0) break;
        const aLive = w[a + PIN_LIVE] !== 0;
        const am = w[a + PIN_MM] as number;
        const bm = w[b + PIN_MM] as number;
        if (aLive && (am < bm || (am === bm && (w[a + PIN_ADDR] as number) <= (w[b + PIN_ADDR] as number)))) break;
        pinScratch.set(w.subarray(a, a + PIN_WORDS));
        w.copyWithin(a, b, b + PIN_WORDS);
        w.set(pinScratch, b);
      }
    }
  }
}

/** Whether `a[at..at+n)` is lexicographically below `b[bt..bt+n)`. */
export function wordsBelow(a: Uint32Array, at: number, b: Uint32Array, bt: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = a[at + i] as number;
    const y = b[bt + i] as number;
    if (x !== y) return x < y;
  }
  return false;
}
