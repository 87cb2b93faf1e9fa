/**
 * The hot-path representation of a `Kernel`: one Int32Array and preallocated view objects over it.
 *
 * Operations written against the interfaces of include/mm_types.ts run unchanged on these views, so the
 * exhaustive search executes the very code the trace printer runs on immer drafts. Restoring a state is one
 * `Int32Array.set` and nothing is allocated per transition. Setters raise `dirty`, so an operation that turns
 * out not to be enabled before it writes anything costs no restore.
 */
import type { Config } from './config.js';
import type { Folio, Kernel, Mm, Page, Pin, Pte } from './include/mm_types.js';

/** Word offsets of every field, computed from the bounds. */
/** Words of a PTE: present, write, folio, page. */
export const PTE_WORDS = 4;
/** Words of a page: _mapcount, anon_exclusive. */
export const PAGE_WORDS = 2;
/** Words of a folio before its pages: used, nr_pages, _refcount, _pincount, _tuple_mapcount. */
export const FOLIO_HEAD_WORDS = 5;
/** Words of a pin: live, mm, addr, folio, page, attached. */
export const PIN_WORDS = 6;

export class Layout {
  readonly mmSize: number;
  readonly folioSize: number;
  readonly folioBase: number;
  readonly pinBase: number;
  /** The word holding `nr_folios`. */
  readonly nrFolios: number;
  readonly words: number;

  readonly cfg: Config;

  constructor(cfg: Config) {
    this.cfg = cfg;
    this.mmSize = 1 + cfg.va * PTE_WORDS;
    this.folioSize = FOLIO_HEAD_WORDS + cfg.large * PAGE_WORDS;
    this.folioBase = cfg.mms * this.mmSize;
    this.pinBase = this.folioBase + cfg.slots * this.folioSize;
    this.nrFolios = this.pinBase + cfg.pins * PIN_WORDS;
    this.words = this.nrFolios + 1;
  }

  pte(m: number, a: number): number {
    return m * this.mmSize + 1 + a * PTE_WORDS;
  }
  folio(s: number): number {
    return this.folioBase + s * this.folioSize;
  }
  pin(k: number): number {
    return this.pinBase + k * PIN_WORDS;
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
}

class MmView extends FieldView implements Mm {
  readonly pte: Pte[];
  constructor(w: Int32Array, o: number, d: Dirty, lay: Layout, m: number) {
    super(w, o, d);
    this.pte = Array.from({ length: lay.cfg.va }, (_, a) => new PteView(w, lay.pte(m, a), d));
  }
  get live(): boolean {
    return this.w[this.o] !== 0;
  }
  set live(v: boolean) {
    this.w[this.o] = v ? 1 : 0;
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
}

class FolioView extends FieldView implements Folio {
  readonly pages: Page[];
  constructor(w: Int32Array, o: number, d: Dirty, large: number) {
    super(w, o, d);
    this.pages = Array.from({ length: large }, (_, j) => new PageView(w, o + FOLIO_HEAD_WORDS + j * PAGE_WORDS, d));
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
  get _tuple_mapcount(): number {
    return this.w[this.o + 4] as number;
  }
  set _tuple_mapcount(v: number) {
    this.w[this.o + 4] = v;
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
}

/** A `Kernel` backed by one Int32Array (`w`), laid out by `lay`. */
export class KernelView implements Kernel {
  readonly w: Int32Array;
  readonly mm: Mm[];
  readonly folio: Folio[];
  readonly pin: Pin[];
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
    this.folio = Array.from({ length: cfg.slots }, (_, s) => new FolioView(w, lay.folio(s), d, cfg.large));
    this.pin = Array.from({ length: cfg.pins }, (_, k) => new PinView(w, lay.pin(k), d));
  }

  get nr_folios(): number {
    return this.w[this.lay.nrFolios] as number;
  }
  set nr_folios(v: number) {
    this.w[this.lay.nrFolios] = v;
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
