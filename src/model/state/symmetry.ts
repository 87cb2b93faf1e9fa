/**
 * Symmetry reduction over mm numbers (`--symmetry`): mms are interchangeable once created, so a state and
 * the same state with its mms renumbered are one state. The search stores, per class, the smallest
 * encoding over the renamings that put the mms in order of a hash of their records (`sign`, `sorts`: a
 * function of the class, and one renaming where the hashes differ), ties tried both ways.
 *
 * What names an mm, and is renamed with it: the mm's own record (`live`, VMAs, PMDs, PTEs, `expect`), a pin's
 * `mm` (then the table's canonical order again, pin_table.ts: by (mm, addr), ties in any order, see
 * `nextTieOrder`) and the scheme words that hold an mm id (mm-id's `_mm_id[0]`, `_mm_id[1]`, declared
 * `WordSpec.mmId`). Nothing else does: folio slots, swap slots (`count`, `cache`, `folio`), `bad_page` (a bit
 * per scheme), the decision points' `partially_mapped`, and contents (a write stores `++values`, a global
 * number that says nothing about the writer; the codec renumbers contents, folio and swap slots in order of
 * first reference, which it reaches through the renamed mms).
 *
 * Why it is sound (a bisimulation up to renaming). Let π(s) be s renamed by a permutation π, and ≈ the
 * relation "t equals π(s) for some π, except in the `mm` of detached pins and the order of pins that tie".
 * (1) Every step is written against an mm parameter and treats the others alike: the instances are per mm
 * (steps/defineStep.ts perMm, perAddress, perRange, perTable), so a(m) on π(s) is π(a)(π(m)); what walks
 * every mm (split's unmap and remap, the recount, the invariants) does the same to each mm whatever the
 * order, and mm-id's slot assignment, which depends on order, runs per mm at fork and fault, never in a
 * walk over mms (split leaves small folios, which mm-id does not track; an unmap of every mapping leaves
 * its words zero). (2) Fork gives the child the lowest free number, which a renaming does not keep:
 * fork(π(s)) takes f' = min π(free(s)) where π(fork(s)) took π(f). Both are free in π(s), and a free mm
 * holds nothing (exit_mmap() clears it; the codec encodes it as one bit), so the two results differ by
 * swapping f' and π(f): one class. That holds only if nothing else names a free mm, and one thing can: a
 * pin outlives its owner's exit (exit_mmap.ts), detached, still naming the dead number, which fork may hand
 * out again. A detached pin's `mm` is never read again, though (every reader asks `pin.attached` first:
 * pin_user_pages' EEXIST, access' pin update, zap's detach, move_vma, pinSeesOwnersPage; dataIsolation
 * reads its folio and `expect` only), so the canonical form clears it (0) before it sorts the pins: that is
 * what ≈ allows. (3) The invariants do not read mm numbers, and unpin(i)/put(i) name a pin by index: the
 * pin order a renaming changes maps those instances onto each other. Hence every step of s has a step of
 * any t ≈ s to a state ≈ its result, at the same depth, and the checks agree: the reduced search sees one
 * state per class of the reachable ones, each verdict and each shortest counterexample length as the full
 * search (symmetry.test.ts checks the count of classes and the successors of renamed states).
 *
 * Where it does not hold, and what is done. Reclaim's unmap (shrink_folio_list.ts) walks the mms in order
 * and gives the exclusive swap entry to the first that maps a PG_anon_exclusive page: the order matters
 * when several mms map a page still marked exclusive, a state anonExclusiveMappedOnce reports as a
 * violation. A search that goes on past violations (the matrix) then explores the kernel's other walk
 * orders too (the kernel's rmap walk has no fixed order either); symmetryTrace.ts still gives every finding
 * a concrete trace, from a concrete search if need be, and says so if there is none. An mm-id slot still
 * naming an mm that exited, which only a desynced count (mmIdSharedBitIsSound fails first) leaves behind,
 * is the other such case. The matrix's 392 cells are the same with and without (README, "Symmetry").
 *
 * Context:  works on layout words (views.ts `Layout`) on the search's hot path, allocating nothing per
 *           renaming. With n mms a tie of every hash encodes a state n! times, hence MAX_SYMMETRIC_MMS.
 */
import type { Config } from '../config.js';
import { MM_AT, PIN_AT, PMD_AT, PTE_AT, VM_AT } from './views.generated.js';
import { type Layout, PIN_WORDS } from './views.js';

const { live: PIN_LIVE, mm: PIN_MM, addr: PIN_ADDR, attached: PIN_ATTACHED } = PIN_AT;
const { live: MM_LIVE } = MM_AT;

/** Every permutation of 0..n-1, the identity first, then in the order of a swap walk. */
export function permutations(n: number): Int32Array[] {
  const out: Int32Array[] = [];
  const p = Int32Array.from({ length: n }, (_, i) => i);
  const walk = (k: number): void => {
    if (k === n) {
      out.push(p.slice());
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
  /** The renamings tried: every permutation of the mm numbers, the identity first. */
  readonly perms: readonly Int32Array[];
  private readonly lay: Layout;
  private readonly cfg: Config;
  /** Offsets within `folio.mc` of the words that hold an mm id. */
  private readonly idWords: Int32Array;
  private readonly pinScratch = new Int32Array(PIN_WORDS);
  /** Every order of the pin table, the identity first (`nextTieOrder`). */
  private readonly pinPerms: readonly Int32Array[];
  /** Offsets within an mm's record of the words that name nothing (not a folio, swap slot or content). */
  private readonly plainWords: Int32Array;
  /** Per mm, a hash of its record's plain words (`sign`): equal for an mm and its renamed self; 0 for none. */
  readonly sig: Int32Array;

  constructor(cfg: Config, lay: Layout) {
    this.cfg = cfg;
    this.lay = lay;
    this.perms = permutations(cfg.mms);
    this.pinPerms = cfg.pins > 1 ? permutations(cfg.pins) : [];
    this.idWords = Int32Array.from(cfg.folioWords.flatMap((w, i) => (w.mmId === true ? [i] : [])));
    this.sig = new Int32Array(cfg.mms);
    const names = new Set<number>();
    const at = lay.mm(0);
    for (let a = 0; a < cfg.va; a++) {
      names.add(lay.pte(0, a) - at + PTE_AT.folio);
      names.add(lay.pte(0, a) - at + PTE_AT.swap);
      if (cfg.data) names.add(lay.expect(0, a) - at);
      // An anon_vma is a name too: the codec renumbers them in order of first appearance, mm 0 first, so a
      // decoded state may name them otherwise than the state it was encoded from.
      if (cfg.tracksVmas) names.add(lay.vm(0, a) - at + VM_AT.anon_vma);
    }
    for (let t = 0; t < cfg.nrPt; t++) names.add(lay.pmd(0, t) - at + PMD_AT.folio);
    this.plainWords = Int32Array.from({ length: lay.mmSize }, (_, i) => i).filter((i) => !names.has(i));
  }

  /**
   * Hashes each mm of `w` by what its record says besides names (0 for an mm that does not exist), for
   * `sorts`. A renaming moves records unchanged and the names are left out, so the hashes of a state and of
   * its renamed self are the same multiset.
   */
  sign(w: Int32Array): void {
    const { lay, cfg, plainWords, sig } = this;
    for (let m = 0; m < cfg.mms; m++) {
      const o = lay.mm(m);
      if (w[o + MM_LIVE] === 0) {
        sig[m] = 0;
        continue;
      }
      let h = 0x811c9dc5;
      for (let i = 0; i < plainWords.length; i++)
        h = Math.imul(h ^ (w[o + (plainWords[i] as number)] as number), 0x01000193);
      sig[m] = h | 1;
    }
  }

  /**
   * Whether renaming `perm` puts the mms of the state last `sign`ed in order of their hashes. The canonical
   * form is the smallest encoding over these renamings only: every class has them (the sorting ones), and
   * they are the same set, up to the renaming, for every state of the class. With distinct hashes there is
   * one, so a state is encoded once or twice rather than n! times.
   */
  sorts(perm: Int32Array): boolean {
    const { sig } = this;
    const n = sig.length;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if ((sig[a] as number) < (sig[b] as number) && (perm[a] as number) > (perm[b] as number)) return false;
      }
    }
    return true;
  }

  /** `dst` = `src` with mm m renamed perm[m], detached pins naming no mm (0), pins in canonical order. */
  permute(src: Int32Array, dst: Int32Array, perm: Int32Array): void {
    const { lay, cfg, idWords } = this;
    dst.set(src);
    for (let m = 0; m < cfg.mms; m++) {
      const from = lay.mm(m);
      dst.set(src.subarray(from, from + lay.mmSize), lay.mm(perm[m] as number));
    }
    for (let k = 0; k < cfg.pins; k++) {
      const o = lay.pin(k);
      if (dst[o + PIN_LIVE] === 0) continue;
      dst[o + PIN_MM] = dst[o + PIN_ATTACHED] === 0 ? 0 : (perm[dst[o + PIN_MM] as number] as number);
    }
    if (cfg.pins > 1) this.sortPins(dst);
    if (idWords.length === 0) return;
    // Free folio slots hold zero words (schema.ts FOLIO.mc), so every slot can be renamed alike.
    for (let s = 0; s < cfg.slots; s++) {
      const o = lay.folio(s) + lay.mcBase;
      for (let i = 0; i < idWords.length; i++) {
        const at = o + (idWords[i] as number);
        const id = dst[at] as number;
        if (id > 0) dst[at] = (perm[id - 1] as number) + 1;
      }
    }
  }

  /**
   * The next other order of pins that tie on (mm, addr) in `src` (sorted by `permute`), written to `dst`:
   * the `from`-th permutation of the pin table on, the index of the one written plus one is returned, or 0
   * when there is none left. Such ties are rare (two detached pins at one address), and their order says
   * nothing the search needs (unpin(i) and put(i) name pins by index, every reader loops over the table),
   * so the canonical form takes the smallest over them too.
   */
  nextTieOrder(src: Int32Array, dst: Int32Array, from: number): number {
    const { lay, cfg, pinPerms } = this;
    if (cfg.pins < 2) return 0;
    for (let q = Math.max(from, 1); q < pinPerms.length; q++) {
      const perm = pinPerms[q] as Int32Array;
      let fits = true;
      for (let i = 0; i < cfg.pins && fits; i++) {
        const j = perm[i] as number;
        if (j === i) continue;
        const a = lay.pin(i);
        const b = lay.pin(j);
        fits =
          src[a + PIN_LIVE] !== 0 &&
          src[b + PIN_LIVE] !== 0 &&
          src[a + PIN_MM] === src[b + PIN_MM] &&
          src[a + PIN_ADDR] === src[b + PIN_ADDR];
      }
      if (!fits) continue;
      dst.set(src);
      for (let i = 0; i < cfg.pins; i++) {
        const from = lay.pin(perm[i] as number);
        dst.set(src.subarray(from, from + PIN_WORDS), lay.pin(i));
      }
      return q + 1;
    }
    return 0;
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
