/**
 * The hot-path representation of a `Kernel`: one Int32Array and preallocated view objects over it.
 *
 * Operations written against the interfaces of include/mm_types.ts run unchanged on these views, so the
 * exhaustive search executes the very code the trace printer runs on immer drafts. Restoring a state is one
 * `Int32Array.set` and nothing is allocated per transition. Setters raise `dirty`, so an operation that turns
 * out not to be enabled before it writes anything costs no restore.
 *
 * The accessor classes below are written out field by field on purpose (one word per field, a constant
 * offset in each accessor): V8 inlines them, which generic property definitions would not allow as well.
 */
import type { Config } from './config.js';
import type { Folio, Kernel, Mm, Page, Pin, Pmd, Pte, SwapSlot, Vm } from './include/mm_types.js';

/** Words of a Pte: present, write, folio, page, zero, swp, swp_exclusive, swap. */
export const PTE_WORDS = 8;
/** Words of a Vm: mapped, write, dontcopy, pgoff. */
export const VM_WORDS = 4;
/** Words of a Pmd: huge, write, folio. */
export const PMD_WORDS = 3;
/** Words of a Page: _mapcount, anon_exclusive, data. */
export const PAGE_WORDS = 3;
/** Fixed words of a FolioHead: used, nr_pages, _refcount, _pincount, _entire_mapcount; the mapcount
 * schemes' words (`mc`, cfg.mcWords of them) follow, then the pages. */
export const FOLIO_HEAD_WORDS = 5;
/** Words of a Pin: live, mm, addr, folio, page, attached, write, expect. */
export const PIN_WORDS = 8;
/** Words of a SwapSlot: used, count, data. */
export const SWAP_WORDS = 3;

/** Word offsets of every field, computed from the bounds. */
export class Layout {
  readonly cfg: Config;
  /** Words of one mm: live, then its PTEs, VMA attributes, expected contents and PMDs. */
  readonly mmSize: number;
  readonly vmBase: number;
  readonly expectBase: number;
  readonly pmdBase: number;
  readonly folioSize: number;
  /** Words of a folio before its pages: the fixed head and the schemes' words. */
  readonly folioHead: number;
  readonly folioBase: number;
  readonly pinBase: number;
  readonly swapBase: number;
  /** The word holding `nr_folios`; `values` follows it. */
  readonly nrFolios: number;
  readonly values: number;
  readonly words: number;

  constructor(cfg: Config) {
    this.cfg = cfg;
    this.vmBase = 1 + cfg.va * PTE_WORDS;
    this.expectBase = this.vmBase + cfg.va * VM_WORDS;
    this.pmdBase = this.expectBase + cfg.va;
    this.mmSize = this.pmdBase + cfg.nrPt * PMD_WORDS;
    this.folioHead = FOLIO_HEAD_WORDS + cfg.mcWords;
    this.folioSize = this.folioHead + cfg.folioPages * PAGE_WORDS;
    this.folioBase = cfg.mms * this.mmSize;
    this.pinBase = this.folioBase + cfg.slots * this.folioSize;
    this.swapBase = this.pinBase + cfg.pins * PIN_WORDS;
    this.nrFolios = this.swapBase + cfg.swap * SWAP_WORDS;
    this.values = this.nrFolios + 1;
    this.words = this.values + 1;
  }

  pte(m: number, a: number): number {
    return m * this.mmSize + 1 + a * PTE_WORDS;
  }
  vm(m: number, a: number): number {
    return m * this.mmSize + this.vmBase + a * VM_WORDS;
  }
  expect(m: number, a: number): number {
    return m * this.mmSize + this.expectBase + a;
  }
  pmd(m: number, t: number): number {
    return m * this.mmSize + this.pmdBase + t * PMD_WORDS;
  }
  folio(s: number): number {
    return this.folioBase + s * this.folioSize;
  }
  pin(k: number): number {
    return this.pinBase + k * PIN_WORDS;
  }
  swap(i: number): number {
    return this.swapBase + i * SWAP_WORDS;
  }
}

/** Shared by all views of one kernel: whether anything was written since the last restore. */
interface Dirty {
  dirty: boolean;
}

/** A record at word offset `o` of `w`; writes through it mark `d` dirty. */
abstract class FieldView {
  protected readonly w: Int32Array;
  protected readonly o: number;
  protected readonly d: Dirty;
  constructor(w: Int32Array, o: number, d: Dirty) {
    this.w = w;
    this.o = o;
    this.d = d;
  }
}

class PteView extends FieldView implements Pte {
  get present(): boolean {
    return this.w[this.o] !== 0;
  }
  set present(v: boolean) {
    this.w[this.o] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get write(): boolean {
    return this.w[this.o + 1] !== 0;
  }
  set write(v: boolean) {
    this.w[this.o + 1] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get folio(): number {
    return this.w[this.o + 2] as number;
  }
  set folio(v: number) {
    this.w[this.o + 2] = v;
    this.d.dirty = true;
  }
  get page(): number {
    return this.w[this.o + 3] as number;
  }
  set page(v: number) {
    this.w[this.o + 3] = v;
    this.d.dirty = true;
  }
  get zero(): boolean {
    return this.w[this.o + 4] !== 0;
  }
  set zero(v: boolean) {
    this.w[this.o + 4] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get swp(): boolean {
    return this.w[this.o + 5] !== 0;
  }
  set swp(v: boolean) {
    this.w[this.o + 5] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get swp_exclusive(): boolean {
    return this.w[this.o + 6] !== 0;
  }
  set swp_exclusive(v: boolean) {
    this.w[this.o + 6] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get swap(): number {
    return this.w[this.o + 7] as number;
  }
  set swap(v: number) {
    this.w[this.o + 7] = v;
    this.d.dirty = true;
  }
}

class VmView extends FieldView implements Vm {
  get mapped(): boolean {
    return this.w[this.o] !== 0;
  }
  set mapped(v: boolean) {
    this.w[this.o] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get write(): boolean {
    return this.w[this.o + 1] !== 0;
  }
  set write(v: boolean) {
    this.w[this.o + 1] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get dontcopy(): boolean {
    return this.w[this.o + 2] !== 0;
  }
  set dontcopy(v: boolean) {
    this.w[this.o + 2] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get pgoff(): number {
    return this.w[this.o + 3] as number;
  }
  set pgoff(v: number) {
    this.w[this.o + 3] = v;
    this.d.dirty = true;
  }
}

class PmdView extends FieldView implements Pmd {
  get huge(): boolean {
    return this.w[this.o] !== 0;
  }
  set huge(v: boolean) {
    this.w[this.o] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get write(): boolean {
    return this.w[this.o + 1] !== 0;
  }
  set write(v: boolean) {
    this.w[this.o + 1] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get folio(): number {
    return this.w[this.o + 2] as number;
  }
  set folio(v: number) {
    this.w[this.o + 2] = v;
    this.d.dirty = true;
  }
}

class PageView extends FieldView implements Page {
  get _mapcount(): number {
    return this.w[this.o] as number;
  }
  set _mapcount(v: number) {
    this.w[this.o] = v;
    this.d.dirty = true;
  }
  get anon_exclusive(): boolean {
    return this.w[this.o + 1] !== 0;
  }
  set anon_exclusive(v: boolean) {
    this.w[this.o + 1] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get data(): number {
    return this.w[this.o + 2] as number;
  }
  set data(v: number) {
    this.w[this.o + 2] = v;
    this.d.dirty = true;
  }
}

class PinView extends FieldView implements Pin {
  get live(): boolean {
    return this.w[this.o] !== 0;
  }
  set live(v: boolean) {
    this.w[this.o] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get mm(): number {
    return this.w[this.o + 1] as number;
  }
  set mm(v: number) {
    this.w[this.o + 1] = v;
    this.d.dirty = true;
  }
  get addr(): number {
    return this.w[this.o + 2] as number;
  }
  set addr(v: number) {
    this.w[this.o + 2] = v;
    this.d.dirty = true;
  }
  get folio(): number {
    return this.w[this.o + 3] as number;
  }
  set folio(v: number) {
    this.w[this.o + 3] = v;
    this.d.dirty = true;
  }
  get page(): number {
    return this.w[this.o + 4] as number;
  }
  set page(v: number) {
    this.w[this.o + 4] = v;
    this.d.dirty = true;
  }
  get attached(): boolean {
    return this.w[this.o + 5] !== 0;
  }
  set attached(v: boolean) {
    this.w[this.o + 5] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get write(): boolean {
    return this.w[this.o + 6] !== 0;
  }
  set write(v: boolean) {
    this.w[this.o + 6] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get expect(): number {
    return this.w[this.o + 7] as number;
  }
  set expect(v: number) {
    this.w[this.o + 7] = v;
    this.d.dirty = true;
  }
}

class SwapSlotView extends FieldView implements SwapSlot {
  get used(): boolean {
    return this.w[this.o] !== 0;
  }
  set used(v: boolean) {
    this.w[this.o] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get count(): number {
    return this.w[this.o + 1] as number;
  }
  set count(v: number) {
    this.w[this.o + 1] = v;
    this.d.dirty = true;
  }
  get data(): number {
    return this.w[this.o + 2] as number;
  }
  set data(v: number) {
    this.w[this.o + 2] = v;
    this.d.dirty = true;
  }
}

/** An mm's expected contents: an array-like over words, as immer-free code indexes it. */
function expectArray(w: Int32Array, o: number, n: number, d: Dirty): number[] {
  const target: number[] = [];
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'length') return n;
      if (typeof key === 'string') {
        const i = Number(key);
        if (Number.isInteger(i) && i >= 0 && i < n) return w[o + i];
      }
      return Reflect.get(target, key);
    },
    set(_t, key, value) {
      const i = Number(key);
      if (typeof key === 'string' && Number.isInteger(i) && i >= 0 && i < n) {
        w[o + i] = value as number;
        d.dirty = true;
        return true;
      }
      return false;
    },
  });
}

class MmView extends FieldView implements Mm {
  readonly pte: Pte[];
  readonly vm: Vm[];
  readonly pmd: Pmd[];
  readonly expect: number[];
  constructor(w: Int32Array, o: number, d: Dirty, lay: Layout, m: number) {
    super(w, o, d);
    const { va, nrPt } = lay.cfg;
    this.pte = Array.from({ length: va }, (_, a) => new PteView(w, lay.pte(m, a), d));
    this.vm = Array.from({ length: va }, (_, a) => new VmView(w, lay.vm(m, a), d));
    this.pmd = Array.from({ length: nrPt }, (_, t) => new PmdView(w, lay.pmd(m, t), d));
    this.expect = expectArray(w, lay.expect(m, 0), va, d);
  }
  get live(): boolean {
    return this.w[this.o] !== 0;
  }
  set live(v: boolean) {
    this.w[this.o] = v ? 1 : 0;
    this.d.dirty = true;
  }
}

class FolioView extends FieldView implements Folio {
  readonly pages: Page[];
  /**
   * The schemes' words, written straight into the state: they change only inside rmap calls, which always
   * write a dirtying field first (a mapcount, a PTE), so they need no dirty flag of their own.
   */
  readonly mc: Int32Array;
  constructor(w: Int32Array, o: number, d: Dirty, large: number, words: number) {
    super(w, o, d);
    const head = FOLIO_HEAD_WORDS + words;
    this.mc = w.subarray(o + FOLIO_HEAD_WORDS, o + head);
    this.pages = Array.from({ length: large }, (_, j) => new PageView(w, o + head + j * PAGE_WORDS, d));
  }
  get used(): boolean {
    return this.w[this.o] !== 0;
  }
  set used(v: boolean) {
    this.w[this.o] = v ? 1 : 0;
    this.d.dirty = true;
  }
  get nr_pages(): number {
    return this.w[this.o + 1] as number;
  }
  set nr_pages(v: number) {
    this.w[this.o + 1] = v;
    this.d.dirty = true;
  }
  get _refcount(): number {
    return this.w[this.o + 2] as number;
  }
  set _refcount(v: number) {
    this.w[this.o + 2] = v;
    this.d.dirty = true;
  }
  get _pincount(): number {
    return this.w[this.o + 3] as number;
  }
  set _pincount(v: number) {
    this.w[this.o + 3] = v;
    this.d.dirty = true;
  }
  get _entire_mapcount(): number {
    return this.w[this.o + 4] as number;
  }
  set _entire_mapcount(v: number) {
    this.w[this.o + 4] = v;
    this.d.dirty = true;
  }
}

/** A `Kernel` backed by one Int32Array (`w`), laid out by `lay`. */
export class KernelView implements Kernel {
  readonly w: Int32Array;
  readonly mm: Mm[];
  readonly folio: Folio[];
  readonly pin: Pin[];
  readonly swap: SwapSlot[];
  readonly cfg: Config;
  readonly lay: Layout;
  private readonly d: Dirty = { dirty: false };

  constructor(cfg: Config, lay: Layout) {
    this.cfg = cfg;
    this.lay = lay;
    const w = new Int32Array(lay.words);
    this.w = w;
    const d = this.d;
    this.mm = Array.from({ length: cfg.mms }, (_, m) => new MmView(w, m * lay.mmSize, d, lay, m));
    this.folio = Array.from(
      { length: cfg.slots },
      (_, s) => new FolioView(w, lay.folio(s), d, cfg.folioPages, cfg.mcWords),
    );
    this.pin = Array.from({ length: cfg.pins }, (_, k) => new PinView(w, lay.pin(k), d));
    this.swap = Array.from({ length: cfg.swap }, (_, i) => new SwapSlotView(w, lay.swap(i), d));
  }

  get nr_folios(): number {
    return this.w[this.lay.nrFolios] as number;
  }
  set nr_folios(v: number) {
    this.w[this.lay.nrFolios] = v;
    this.d.dirty = true;
  }
  get values(): number {
    return this.w[this.lay.values] as number;
  }
  set values(v: number) {
    this.w[this.lay.values] = v;
    this.d.dirty = true;
  }

  /** Whether any field was written since `restore` (or `markClean`). */
  get dirty(): boolean {
    return this.d.dirty;
  }

  /** Makes this kernel equal to the words of `src` (the same layout). */
  restore(src: Int32Array): void {
    this.w.set(src);
    this.d.dirty = false;
  }

  markClean(): void {
    this.d.dirty = false;
  }
}
