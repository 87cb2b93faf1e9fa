/**
 * The hot-path representation of a `Kernel`: one Int32Array and preallocated view objects over it.
 *
 * Operations written against the record types of schema.ts run unchanged on these views, so the
 * exhaustive search executes the very code the trace printer runs on immer drafts. Restoring a state is one
 * `Int32Array.set` and nothing is allocated per transition. Setters raise `dirty`, so an operation that turns
 * out not to be enabled before it writes anything costs no restore.
 *
 * The accessors are generated (views.generated.ts), field by field with constant offsets: V8 inlines them,
 * which generic property definitions would not allow as well. Here: the layout, and the records' arrays.
 */
import type { Config } from '../config.js';
import type { ArraySpec, RecordSpec } from './field.js';
import {
  FOLIO,
  type Folio,
  KERNEL,
  type Kernel,
  MM,
  type Mm,
  type Page,
  type Pin,
  type Pmd,
  type Pte,
  type SwapSlot,
  type Vm,
} from './schema.js';
import {
  type Dirty,
  FolioFieldsView,
  KERNEL_AT,
  KernelFieldsView,
  MmFieldsView,
  PAGE_WORDS,
  PageView,
  PIN_WORDS,
  PinView,
  PMD_WORDS,
  PmdView,
  PTE_WORDS,
  PteView,
  SWAP_SLOT_WORDS,
  SwapSlotView,
  VM_WORDS,
  VmView,
} from './views.generated.js';

export { PAGE_WORDS, PIN_WORDS, PMD_WORDS, PTE_WORDS, SWAP_SLOT_WORDS, VM_WORDS };

/** Words of one element of an array. */
function elementWords(a: ArraySpec, cfg: Config): number {
  return typeof a.of === 'string' ? 1 : recordWords(a.of, cfg);
}

/** Words of a record: its fields, then its arrays in declaration order. */
function recordWords(r: RecordSpec, cfg: Config): number {
  return r.arrays.reduce((n, a) => n + a.count(cfg) * elementWords(a, cfg), r.fields.length);
}

/** Word offset of each array of `r` within the record. */
function arrayBases(r: RecordSpec, cfg: Config): Map<string, number> {
  const bases = new Map<string, number>();
  let at = r.fields.length;
  for (const a of r.arrays) {
    bases.set(a.name, at);
    at += a.count(cfg) * elementWords(a, cfg);
  }
  return bases;
}

/** Word offsets of every record, computed from the schema and the bounds. */
export class Layout {
  readonly cfg: Config;
  /** Words of one mm: live, then its arrays (schema.ts MM). */
  readonly mmSize: number;
  readonly mmBase: number;
  readonly pteBase: number;
  readonly vmBase: number;
  readonly expectBase: number;
  readonly pmdBase: number;
  readonly folioSize: number;
  /** Words of a folio before its pages: the fields and the schemes' words (`mc`). */
  readonly folioHead: number;
  readonly mcBase: number;
  readonly folioBase: number;
  readonly pinBase: number;
  readonly swapBase: number;
  /** The kernel's own fields: `nr_folios`, `values`, `bad_page`. */
  readonly kernel: number;
  readonly nrFolios: number;
  readonly values: number;
  readonly badPage: number;
  readonly words: number;

  constructor(cfg: Config) {
    this.cfg = cfg;
    const base = (bases: Map<string, number>, name: string): number => bases.get(name) as number;
    const mm = arrayBases(MM, cfg);
    this.mmSize = recordWords(MM, cfg);
    this.pteBase = base(mm, 'pte');
    this.vmBase = base(mm, 'vm');
    this.expectBase = base(mm, 'expect');
    this.pmdBase = base(mm, 'pmd');
    const folio = arrayBases(FOLIO, cfg);
    this.folioSize = recordWords(FOLIO, cfg);
    this.mcBase = base(folio, 'mc');
    this.folioHead = base(folio, 'pages');
    const kernel = arrayBases(KERNEL, cfg);
    // The kernel's record comes first: its fields' words are their generated offsets.
    this.kernel = 0;
    this.nrFolios = KERNEL_AT.nr_folios;
    this.values = KERNEL_AT.values;
    this.badPage = KERNEL_AT.bad_page;
    this.mmBase = base(kernel, 'mm');
    this.folioBase = base(kernel, 'folio');
    this.pinBase = base(kernel, 'pin');
    this.swapBase = base(kernel, 'swap');
    this.words = recordWords(KERNEL, cfg);
  }

  mm(m: number): number {
    return this.mmBase + m * this.mmSize;
  }
  pte(m: number, a: number): number {
    return this.mm(m) + this.pteBase + a * PTE_WORDS;
  }
  vm(m: number, a: number): number {
    return this.mm(m) + this.vmBase + a * VM_WORDS;
  }
  expect(m: number, a: number): number {
    return this.mm(m) + this.expectBase + a;
  }
  pmd(m: number, t: number): number {
    return this.mm(m) + this.pmdBase + t * PMD_WORDS;
  }
  folio(s: number): number {
    return this.folioBase + s * this.folioSize;
  }
  pin(k: number): number {
    return this.pinBase + k * PIN_WORDS;
  }
  swap(i: number): number {
    return this.swapBase + i * SWAP_SLOT_WORDS;
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

class MmView extends MmFieldsView implements Mm {
  readonly pte: Pte[];
  readonly vm: Vm[];
  readonly pmd: Pmd[];
  readonly expect: number[];
  constructor(w: Int32Array, d: Dirty, lay: Layout, m: number) {
    super(w, lay.mm(m), d);
    const { va, nrPt } = lay.cfg;
    this.pte = Array.from({ length: va }, (_, a) => new PteView(w, lay.pte(m, a), d));
    this.vm = Array.from({ length: va }, (_, a) => new VmView(w, lay.vm(m, a), d));
    this.pmd = Array.from({ length: nrPt }, (_, t) => new PmdView(w, lay.pmd(m, t), d));
    this.expect = expectArray(w, lay.expect(m, 0), va, d);
  }
}

class FolioView extends FolioFieldsView implements Folio {
  readonly pages: Page[];
  /**
   * The schemes' words, written straight into the state: they change only inside rmap calls, which always
   * write a dirtying field first (a mapcount, a PTE), so they need no dirty flag of their own.
   */
  readonly mc: Int32Array;
  constructor(w: Int32Array, d: Dirty, lay: Layout, s: number) {
    const o = lay.folio(s);
    super(w, o, d);
    this.mc = w.subarray(o + lay.mcBase, o + lay.folioHead);
    this.pages = Array.from(
      { length: lay.cfg.folioPages },
      (_, j) => new PageView(w, o + lay.folioHead + j * PAGE_WORDS, d),
    );
  }
}

/** A `Kernel` backed by one Int32Array (`w`), laid out by `lay`. */
export class KernelView extends KernelFieldsView implements Kernel {
  readonly mm: Mm[];
  readonly folio: Folio[];
  readonly pin: Pin[];
  readonly swap: SwapSlot[];
  readonly cfg: Config;
  readonly lay: Layout;

  constructor(cfg: Config, lay: Layout) {
    const w = new Int32Array(lay.words);
    const d: Dirty = { dirty: false };
    super(w, lay.kernel, d);
    this.cfg = cfg;
    this.lay = lay;
    this.mm = Array.from({ length: cfg.mms }, (_, m) => new MmView(w, d, lay, m));
    this.folio = Array.from({ length: cfg.slots }, (_, s) => new FolioView(w, d, lay, s));
    this.pin = Array.from({ length: cfg.pins }, (_, k) => new PinView(w, lay.pin(k), d));
    this.swap = Array.from({ length: cfg.swap }, (_, i) => new SwapSlotView(w, lay.swap(i), d));
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
