/**
 * The canonical, bit-packed encoding of a kernel state: what the checker stores, hashes and compares.
 *
 * Canonical slots (docs/bench-core.md "Canonical slots"): folio slots are renumbered 0, 1, 2, ...
 * in order of first reference, scanning mm 0's page tables (each PMD, then its PTEs), mm 1's, ..., then the
 * pins (kept sorted by the pin code itself), then the swapcache folios of swap slots. Swap slots are renumbered
 * the same way by their swap PTEs (a slot no PTE names, held by a mapped swapcache folio, by its folio),
 * content values (data tracking) by first occurrence, 0 (zero-filled) staying 0, and anon_vmas (VMA
 * tracking) by first appearance in the VMA pages, mm 0's first, 0 (none) staying 0. Two states that differ only
 * in such names encode identically, and the encoding is injective on canonical states. A used slot that
 * nothing references (a leak) is kept, after the referenced ones, so that no invariant loses sight of it.
 *
 * Only what a configuration can change is encoded: VMA attributes when some operation changes them, PTE
 * kinds beyond none/present when the zero page or swap exists, PMDs when PMD-sized folios exist, contents
 * when data is tracked. An mm that does not exist holds nothing (an invariant) and encodes as one bit.
 *
 * Fields are packed at widths derived from the bounds; a value that does not fit (a counter gone negative or
 * beyond any reachable value) throws `EncodingOverflow`, which the checker reports as a model error rather
 * than silently merging states.
 *
 * The word positions and the widths come from schema.ts (its offsets and each field's range rule; the
 * schemes' words through the same `wordCode` rule), the traversal is the codec's own.
 * `encodeGeneric` and `decodeGeneric` define the format; the search runs the same traversals compiled for
 * its configuration (encoder.ts, decoder.ts: every offset and width a literal), tested equal to these.
 * Longer than 300 lines: the encoder, its bit writer and the decoder share private state and must
 * stay in step field by field, so they are kept in one file.
 */
import type { Config } from '../config.js';
// Word offsets (views.generated.ts, from the schema): the codec's own traversal, the schema's positions.
import type { CodecPlan } from './codecPlan.js';
import { compileDecoder, type Decode } from './decoder.js';
import { compileEncoder, type Encode } from './encoder.js';
import { bitsFor, type FieldSpec, fieldOf, type RecordSpec, type WordCode, wordCode } from './field.js';
import { FOLIO, PAGE, PIN, PMD, PTE, SWAP_SLOT, VM } from './schema.js';
import { FOLIO_AT, MM_AT, PAGE_AT, PIN_AT, PMD_AT, PTE_AT, SWAP_SLOT_AT, VM_AT } from './views.generated.js';
import { type Layout, PAGE_WORDS, PIN_WORDS, PMD_WORDS, PTE_WORDS, SWAP_SLOT_WORDS, VM_WORDS } from './views.js';

// The offsets as module-local numbers: V8 folds a module's own `const` into the hot loops, where a property
// of an imported object costs a load at every use (about 5% of core-safe-s5's time, measured in pairs).
const { live: MM_LIVE } = MM_AT;
const {
  mapped: VM_MAPPED,
  write: VM_WRITE,
  dontcopy: VM_DONTCOPY,
  account: VM_ACCOUNT,
  anon_vma: VM_ANON_VMA,
  fork_child: VM_FORK_CHILD,
  pgoff: VM_PGOFF,
} = VM_AT;
const { huge: PMD_HUGE, write: PMD_WRITE, folio: PMD_FOLIO } = PMD_AT;
const {
  present: PTE_PRESENT,
  folio: PTE_FOLIO,
  write: PTE_WRITE,
  page: PTE_PAGE,
  zero: PTE_ZERO,
  swp: PTE_SWP,
  swp_exclusive: PTE_SWP_EXCLUSIVE,
  swap: PTE_SWAP,
} = PTE_AT;
const {
  live: PIN_LIVE,
  folio: PIN_FOLIO,
  attached: PIN_ATTACHED,
  write: PIN_WRITE,
  get: PIN_GET,
  mm: PIN_MM,
  addr: PIN_ADDR,
  page: PIN_PAGE,
  expect: PIN_EXPECT,
} = PIN_AT;
const {
  used: FOLIO_USED,
  nr_pages: FOLIO_NR_PAGES,
  _refcount: FOLIO_REFCOUNT,
  _pincount: FOLIO_PINCOUNT,
  _entire_mapcount: FOLIO_ENTIRE_MAPCOUNT,
  partially_mapped: FOLIO_PARTIALLY_MAPPED,
} = FOLIO_AT;
const { _mapcount: PAGE_MAPCOUNT, anon_exclusive: PAGE_ANON_EXCLUSIVE, data: PAGE_DATA } = PAGE_AT;
const {
  used: SWAP_SLOT_USED,
  count: SWAP_SLOT_COUNT,
  data: SWAP_SLOT_DATA,
  cache: SWAP_SLOT_CACHE,
  folio: SWAP_SLOT_FOLIO,
} = SWAP_SLOT_AT;

export { bitsFor } from './field.js';

/** A `range` field's code under `cfg`: the same rule as the schemes' words (cfg.folioWords). */
function rangeCode(r: RecordSpec, f: FieldSpec, cfg: Config): WordCode {
  if (f.code !== 'range') throw new Error(`${r.type}.${f.name} is not a range field`);
  return wordCode(`${r.type.toLowerCase()}.${f.name}`, f.min(cfg), f.max(cfg));
}

/** Bits of a `range` field whose minimum is 0 (the hot paths pack these without subtracting). */
function bitsOf<R extends RecordSpec>(r: R, name: R['fields'][number]['name'], cfg: Config): number {
  const c = rangeCode(r, fieldOf(r, name), cfg);
  if (c.min !== 0) throw new Error(`${c.name}: the codec packs it from 0`);
  return c.bits;
}

/** Whether a field is encoded under `cfg` (its `when`). */
function encoded<R extends RecordSpec>(r: R, name: R['fields'][number]['name'], cfg: Config): boolean {
  const f = fieldOf(r, name) as FieldSpec;
  return f.when === undefined || f.when(cfg);
}

export class EncodingOverflow extends Error {
  readonly field: string;
  readonly value: number;
  readonly bits: number;
  constructor(field: string, value: number, bits: number) {
    super(`state field ${field} = ${value} does not fit its ${bits}-bit encoding`);
    this.name = 'EncodingOverflow';
    this.field = field;
    this.value = value;
    this.bits = bits;
  }
}

/** `v` if it fits in `bits` bits; otherwise the state cannot be encoded and the run must say so. */
function bounded(v: number, bits: number, field: string): number {
  if (bits < 32 ? v >>> bits !== 0 : v < 0) throw new EncodingOverflow(field, v, bits);
  return v;
}

/** PTE kinds when more than none/present exist. */
const KIND_NONE = 0;
const KIND_PRESENT = 1;
const KIND_ZERO = 2;
const KIND_SWAP = 3;

export class Codec {
  readonly words: number;
  /**
   * Writes the canonical encoding of the kernel in `w` (a `Layout` buffer) to `out[at .. at+words)`: the
   * encoder compiled for this configuration (encoder.ts), or `encodeGeneric` where code cannot be generated.
   */
  readonly encode: Encode;
  /**
   * Writes the state encoded at `src[at..]` into `w` (a `Layout` buffer), names in canonical order: the
   * decoder compiled for this configuration (decoder.ts), or `decodeGeneric`.
   */
  readonly decode: Decode;
  readonly cfg: Config;
  readonly lay: Layout;
  readonly slotBits: number;
  readonly pageBits: number;
  readonly orderBits: number;
  readonly refBits: number;
  readonly pinBits: number;
  readonly mcBits: number;
  private readonly entireBits: number;
  /** 1 when PG_partially_mapped is kept (a scheme decides), else 0. */
  private readonly partialBits: number;
  /** Bits of the bad_page() taint: one per selected scheme. */
  private readonly badPageBits: number;
  private readonly pinMmBits: number;
  private readonly pinAddrBits: number;
  private readonly pinPageBits: number;
  /** A pin's flags: live, attached, write, and `get` where a FOLL_GET reference can exist. */
  private readonly pinFlagBits: number;
  private readonly pgoffBits: number;
  /** Bits of a canonical anon_vma name: there are at most as many as VMAs, mms * va. */
  private readonly anonVmaBits: number;
  private readonly data: boolean;
  private readonly usedBits: number;
  private readonly swapBits: number;
  private readonly swapUsedBits: number;
  private readonly countBits: number;
  private readonly valueBits: number;
  /** Encode VMA attributes (some operation changes them). */
  private readonly trackVm: boolean;
  /** 1: PTEs are none or present; 2: also zero-page and swap PTEs. */
  private readonly kindBits: number;
  /** Whether a PTE may map the shared zero page under these bounds (its kind has a code). */
  private readonly zeroPtes: boolean;
  private readonly hasPmd: boolean;
  /** slot -> canonical number, valid where seen[slot] is the current generation; and its inverse. */
  private readonly canon: Int32Array;
  private readonly order: Int32Array;
  private readonly seen: Int32Array;
  private readonly swapCanon: Int32Array;
  private readonly swapOrder: Int32Array;
  private readonly swapSeen: Int32Array;
  private readonly valueCanon: Int32Array;
  private readonly valueSeen: Int32Array;
  private nextValue = 0;
  private readonly anonVmaCanon: Int32Array;
  private readonly anonVmaSeen: Int32Array;
  private nextAnonVma = 0;
  /** nr_pages -> encoded order (1 + order), -1 for a size no folio has. */
  private readonly orderCode: Int8Array;
  private generation: number;
  /** The mapcount schemes' words, in `folio.mc` order. */
  private readonly wordCodes: readonly WordCode[];
  private readonly wordBits: number;

  /**
   * `unrollLimit`: encoder.ts's, for the tests of both of its forms. `generation`: where both encoders'
   * generation counters start (0), so that a test can reach their wrap, which comes after 2^32 encodes.
   */
  constructor(cfg: Config, lay: Layout, opts: { readonly unrollLimit?: number; readonly generation?: number } = {}) {
    this.cfg = cfg;
    this.lay = lay;
    const pages = cfg.folioPages;
    // Names: as many bits as the slots need; counters: their range in the schema.
    this.slotBits = bitsFor(cfg.slots - 1);
    this.pageBits = bitsOf(PTE, 'page', cfg);
    this.pinMmBits = bitsOf(PIN, 'mm', cfg);
    this.pinAddrBits = bitsOf(PIN, 'addr', cfg);
    this.pinPageBits = bitsOf(PIN, 'page', cfg);
    this.pinFlagBits = encoded(PIN, 'get', cfg) ? 4 : 3;
    this.pgoffBits = bitsOf(VM, 'pgoff', cfg);
    this.anonVmaBits = bitsFor(cfg.mms * cfg.va);
    // 0: a free slot that something still references (a use after free, reported by an invariant);
    // otherwise 1 + the folio's order.
    this.orderBits = bitsFor(Math.log2(pages) + 1);
    this.orderCode = new Int8Array(pages + 1).fill(-1);
    for (let order = 0; 1 << order <= pages; order++) this.orderCode[1 << order] = order + 1;
    this.refBits = bitsOf(FOLIO, '_refcount', cfg);
    this.pinBits = bitsOf(FOLIO, '_pincount', cfg);
    this.entireBits = encoded(FOLIO, '_entire_mapcount', cfg) ? bitsOf(FOLIO, '_entire_mapcount', cfg) : 0;
    this.partialBits = encoded(FOLIO, 'partially_mapped', cfg) ? 1 : 0;
    this.badPageBits = cfg.nrSchemes;
    this.mcBits = bitsOf(PAGE, '_mapcount', cfg);
    this.usedBits = bitsFor(cfg.slots);
    this.swapBits = bitsFor(Math.max(0, cfg.swap - 1));
    this.swapUsedBits = bitsFor(cfg.swap);
    this.countBits = bitsOf(SWAP_SLOT, 'count', cfg);
    const holders = cfg.mms * cfg.va + cfg.slots * pages + cfg.swap + cfg.pins;
    this.data = encoded(PAGE, 'data', cfg);
    this.valueBits = this.data ? bitsFor(holders) : 0;
    this.trackVm = encoded(VM, 'mapped', cfg);
    this.zeroPtes = encoded(PTE, 'zero', cfg);
    this.kindBits = this.zeroPtes || encoded(PTE, 'swp', cfg) ? 2 : 1;
    this.hasPmd = encoded(PMD, 'huge', cfg);
    const codes = cfg.folioWords.map((word) => wordCode(`folio.${word.name}`, word.min, word.max));
    this.wordCodes = codes;
    this.wordBits = codes.reduce((n, c) => n + c.bits, 0);
    this.canon = new Int32Array(cfg.slots);
    this.order = new Int32Array(cfg.slots);
    this.seen = new Int32Array(cfg.slots);
    this.swapCanon = new Int32Array(cfg.swap);
    this.swapOrder = new Int32Array(cfg.swap);
    this.swapSeen = new Int32Array(cfg.swap);
    this.valueCanon = new Int32Array(holders + 2);
    this.valueSeen = new Int32Array(holders + 2);
    this.anonVmaCanon = new Int32Array(cfg.mms * cfg.va + 1);
    this.anonVmaSeen = new Int32Array(cfg.mms * cfg.va + 1);

    const vb = this.valueBits;
    const vmBits = this.trackVm ? cfg.va * (5 + this.anonVmaBits + this.pgoffBits) : 0;
    const pteBits = Math.max(this.kindBits + 1 + this.slotBits + this.pageBits, this.kindBits + 1 + this.swapBits);
    const pmdBits = this.hasPmd ? cfg.nrPt * (2 + this.slotBits) : 0;
    const mmBits = 1 + vmBits + pmdBits + cfg.va * (pteBits + vb);
    const pinBits = this.pinFlagBits + this.pinMmBits + this.pinAddrBits + this.slotBits + this.pinPageBits + vb;
    const folioBits =
      this.orderBits +
      this.refBits +
      this.pinBits +
      this.entireBits +
      this.partialBits +
      this.wordBits +
      pages * (this.mcBits + 1 + vb);
    const maxFolios = Math.min(cfg.slots, cfg.mms * cfg.va + cfg.pins + cfg.swap);
    const swapBits = cfg.swap * (this.countBits + vb + 1 + this.slotBits);
    const bits =
      cfg.mms * mmBits +
      cfg.pins * pinBits +
      this.usedBits +
      maxFolios * folioBits +
      this.swapUsedBits +
      swapBits +
      this.badPageBits;
    this.words = Math.max(1, Math.ceil(bits / 32));
    const overflow = (field: string, value: number, bits: number): never => {
      throw new EncodingOverflow(field, value, bits);
    };
    const plan = this.plan();
    this.generation = opts.generation ?? 0;
    const encode = compileEncoder(plan, this.orderCode, overflow, opts.unrollLimit, this.generation);
    this.encode = encode ?? this.encodeGeneric.bind(this);
    this.decode = compileDecoder(plan) ?? this.decodeGeneric.bind(this);
  }

  /** Everything the compiled encoder takes from the layout and this codec's widths. */
  plan(): CodecPlan {
    const { cfg, lay } = this;
    return {
      ...{ mms: cfg.mms, va: cfg.va, pt: cfg.pt, nrPt: cfg.nrPt, pins: cfg.pins, slots: cfg.slots, swap: cfg.swap },
      words: this.words,
      ...{ mmBase: lay.mmBase, mmSize: lay.mmSize, pteBase: lay.pteBase, vmBase: lay.vmBase, pmdBase: lay.pmdBase },
      ...{ expectBase: lay.expectBase, folioBase: lay.folioBase, folioSize: lay.folioSize, folioHead: lay.folioHead },
      ...{ mcBase: lay.mcBase, pinBase: lay.pinBase, swapBase: lay.swapBase, nrFolios: lay.nrFolios },
      ...{ badPage: lay.badPage, valuesWord: lay.values },
      at: {
        mm: MM_AT,
        vm: VM_AT,
        pmd: PMD_AT,
        pte: PTE_AT,
        pin: PIN_AT,
        folio: FOLIO_AT,
        page: PAGE_AT,
        swap_slot: SWAP_SLOT_AT,
      },
      ...{ pteWords: PTE_WORDS, vmWords: VM_WORDS, pmdWords: PMD_WORDS, pageWords: PAGE_WORDS },
      ...{ pinWords: PIN_WORDS, swapWords: SWAP_SLOT_WORDS },
      ...{ slotBits: this.slotBits, pageBits: this.pageBits, orderBits: this.orderBits, refBits: this.refBits },
      ...{ pinBits: this.pinBits, mcBits: this.mcBits, entireBits: this.entireBits, partialBits: this.partialBits },
      ...{ badPageBits: this.badPageBits, pinMmBits: this.pinMmBits, pinAddrBits: this.pinAddrBits },
      ...{ pinPageBits: this.pinPageBits, pinFlagBits: this.pinFlagBits, pgoffBits: this.pgoffBits },
      ...{ anonVmaBits: this.anonVmaBits, usedBits: this.usedBits, swapBits: this.swapBits },
      ...{ swapUsedBits: this.swapUsedBits, countBits: this.countBits, valueBits: this.valueBits },
      ...{
        kindBits: this.kindBits,
        zeroPtes: this.zeroPtes,
        data: this.data,
        trackVm: this.trackVm,
        hasPmd: this.hasPmd,
      },
      wordCodes: this.wordCodes.map((c) => ({ name: c.name, min: c.min, bits: c.bits })),
      values: this.valueSeen.length,
      anonVmas: this.anonVmaSeen.length,
    };
  }

  private nextGeneration(): number {
    this.generation = (this.generation + 1) | 0;
    if (this.generation === 0) {
      this.seen.fill(0);
      this.swapSeen.fill(0);
      this.valueSeen.fill(0);
      this.anonVmaSeen.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }

  /** The canonical number of folio slot `s`, numbering it now if this is its first reference. */
  private folioRef(s: number, gen: number): number {
    if (this.seen[s] === gen) return this.canon[s] as number;
    // A slot past the table would be numbered past `slotBits` and written over the next field.
    if (s >>> 0 >= this.seen.length) throw new EncodingOverflow('folio slot', s, this.slotBits);
    this.seen[s] = gen;
    const c = this.nextFolio++;
    this.canon[s] = c;
    this.order[c] = s;
    return c;
  }
  private nextFolio = 0;

  private swapRef(i: number, gen: number): number {
    if (this.swapSeen[i] === gen) return this.swapCanon[i] as number;
    if (i >>> 0 >= this.swapSeen.length) throw new EncodingOverflow('swap slot', i, this.swapBits);
    this.swapSeen[i] = gen;
    const c = this.nextSwap++;
    this.swapCanon[i] = c;
    this.swapOrder[c] = i;
    return c;
  }
  private nextSwap = 0;

  /** The canonical name of anon_vma `v` (0, none, stays 0), numbering it now if this is its first appearance. */
  private anonVmaRef(v: number, gen: number): number {
    if (v === 0) return 0;
    if (v < 0 || v >= this.anonVmaSeen.length) throw new EncodingOverflow('vm.anon_vma', v, this.anonVmaBits);
    if (this.anonVmaSeen[v] === gen) return this.anonVmaCanon[v] as number;
    this.anonVmaSeen[v] = gen;
    const c = ++this.nextAnonVma;
    this.anonVmaCanon[v] = c;
    return c;
  }

  /** Writes a content value, canonical by first occurrence (0 stays 0). */
  private putValue(v: number, gen: number): void {
    if (v === 0) {
      this.put(0, this.valueBits);
      return;
    }
    bounded(v, 31, 'content value');
    if (v >= this.valueSeen.length) throw new EncodingOverflow('content value', v, this.valueBits);
    let c: number;
    if (this.valueSeen[v] === gen) c = this.valueCanon[v] as number;
    else {
      this.valueSeen[v] = gen;
      c = ++this.nextValue;
      this.valueCanon[v] = c;
    }
    this.put(bounded(c, this.valueBits, 'content value'), this.valueBits);
  }

  /**
   * The definition of the encoding: writes the canonical encoding of the kernel in `w` (a `Layout` buffer)
   * to `out[at .. at+words)`. encoder.ts compiles the same traversal per configuration; this one stays the
   * reference the compiled one is tested against, and the encoder where code cannot be generated.
   * Allocates nothing; fields that always go together (a PTE, a folio's head) are packed into one `put`.
   */
  encodeGeneric(w: Int32Array, out: Uint32Array, at: number): void {
    const { cfg, lay, slotBits, pageBits, orderBits, refBits, pinBits, mcBits, kindBits, data } = this;
    const { mms, va, pins, slots, pt, nrPt } = cfg;
    const gen = this.nextGeneration();
    this.nextFolio = 0;
    this.nextSwap = 0;
    this.nextValue = 0;
    this.nextAnonVma = 0;
    this.out = out;
    this.acc = 0;
    this.n = 0;
    this.pos = at;
    const presentBits = kindBits + 1 + slotBits + pageBits;

    for (let m = 0; m < mms; m++) {
      const live = bounded(w[lay.mm(m) + MM_LIVE] as number, 1, 'mm.live');
      this.put(live, 1);
      if (live === 0) continue;
      if (this.trackVm) {
        for (let a = 0; a < va; a++) {
          const o = lay.vm(m, a);
          if (w[o + VM_MAPPED] === 0) {
            this.put(0, 1);
            continue;
          }
          this.put(
            1 |
              (bounded(w[o + VM_WRITE] as number, 1, 'vm.write') << 1) |
              (bounded(w[o + VM_DONTCOPY] as number, 1, 'vm.dontcopy') << 2) |
              (bounded(w[o + VM_ACCOUNT] as number, 1, 'vm.account') << 3) |
              (bounded(w[o + VM_FORK_CHILD] as number, 1, 'vm.fork_child') << 4),
            5,
          );
          this.put(this.anonVmaRef(w[o + VM_ANON_VMA] as number, gen), this.anonVmaBits);
          this.put(bounded(w[o + VM_PGOFF] as number, this.pgoffBits, 'vm.pgoff'), this.pgoffBits);
        }
      }
      for (let t = 0; t < nrPt; t++) {
        if (this.hasPmd) {
          const o = lay.pmd(m, t);
          if (w[o + PMD_HUGE] === 0) this.put(0, 1);
          else {
            this.put(1 | (bounded(w[o + PMD_WRITE] as number, 1, 'pmd.write') << 1), 2);
            this.put(this.folioRef(w[o + PMD_FOLIO] as number, gen), slotBits);
          }
        }
        for (let o = lay.pte(m, t * pt), end = o + pt * PTE_WORDS; o < end; o += PTE_WORDS) {
          if (w[o + PTE_PRESENT] !== 0) {
            const c = this.folioRef(w[o + PTE_FOLIO] as number, gen);
            const write = bounded(w[o + PTE_WRITE] as number, 1, 'pte.write');
            const page = bounded(w[o + PTE_PAGE] as number, pageBits, 'pte.page');
            this.put(
              KIND_PRESENT | (write << kindBits) | (c << (kindBits + 1)) | (page << (kindBits + 1 + slotBits)),
              presentBits,
            );
          } else if (kindBits === 1) {
            // No zero-page or swap PTE exists under these bounds: a PTE is present or none.
            this.put(KIND_NONE, kindBits);
          } else if (w[o + PTE_ZERO] !== 0) {
            // A kind these bounds never make has no code: refused rather than encoded as one.
            if (!this.zeroPtes) throw new EncodingOverflow('pte.zero', 1, 0);
            this.put(KIND_ZERO, kindBits);
          } else if (w[o + PTE_SWP] !== 0) {
            if (cfg.swap === 0) throw new EncodingOverflow('pte.swp', 1, 0);
            const exclusive = bounded(w[o + PTE_SWP_EXCLUSIVE] as number, 1, 'pte.swp_exclusive');
            this.put(KIND_SWAP | (exclusive << kindBits), kindBits + 1);
            this.put(this.swapRef(w[o + PTE_SWAP] as number, gen), this.swapBits);
          } else {
            this.put(KIND_NONE, kindBits);
          }
        }
      }
      if (data) for (let a = 0; a < va; a++) this.putValue(w[lay.expect(m, a)] as number, gen);
    }
    for (let k = 0; k < pins; k++) {
      const o = lay.pin(k);
      if (w[o + PIN_LIVE] === 0) {
        this.put(0, 1);
        continue;
      }
      const c = this.folioRef(w[o + PIN_FOLIO] as number, gen);
      this.put(
        1 |
          (bounded(w[o + PIN_ATTACHED] as number, 1, 'pin.attached') << 1) |
          (bounded(w[o + PIN_WRITE] as number, 1, 'pin.write') << 2) |
          // Without FOLL_GET pins `get` has no bit: a 1 there is refused, not written over the next field.
          (bounded(w[o + PIN_GET] as number, this.pinFlagBits - 3, 'pin.get') << 3),
        this.pinFlagBits,
      );
      this.put(bounded(w[o + PIN_MM] as number, this.pinMmBits, 'pin.mm'), this.pinMmBits);
      this.put(bounded(w[o + PIN_ADDR] as number, this.pinAddrBits, 'pin.addr'), this.pinAddrBits);
      this.put(c, slotBits);
      this.put(bounded(w[o + PIN_PAGE] as number, this.pinPageBits, 'pin.page'), this.pinPageBits);
      if (data) this.putValue(w[o + PIN_EXPECT] as number, gen);
    }
    if (cfg.swap > 0) this.numberSwapcache(w, gen);
    // Used but unreferenced slots (a leak) keep their place after the referenced ones; the allocator's
    // count says whether there are any, which spares the scan on every transition.
    for (let s = 0, o = lay.folioBase; this.nextFolio < (w[lay.nrFolios] as number) && s < slots; s++) {
      if (this.seen[s] !== gen && w[o + FOLIO_USED] !== 0) this.folioRef(s, gen);
      o += lay.folioSize;
    }
    const used = this.nextFolio;
    this.put(used, this.usedBits);
    for (let c = 0; c < used; c++) {
      const o = lay.folio(this.order[c] as number);
      const nr = w[o + FOLIO_NR_PAGES] as number;
      const code = w[o + FOLIO_USED] === 0 ? 0 : (this.orderCode[nr] ?? -1);
      this.put(
        bounded(code, orderBits, 'folio.nr_pages') |
          (bounded(w[o + FOLIO_REFCOUNT] as number, refBits, 'folio._refcount') << orderBits) |
          (bounded(w[o + FOLIO_PINCOUNT] as number, pinBits, 'folio._pincount') << (orderBits + refBits)),
        orderBits + refBits + pinBits,
      );
      const entireBits = this.entireBits;
      if (entireBits > 0) {
        this.put(bounded(w[o + FOLIO_ENTIRE_MAPCOUNT] as number, entireBits, 'folio._entire_mapcount'), entireBits);
      }
      if (this.partialBits > 0)
        this.put(bounded(w[o + FOLIO_PARTIALLY_MAPPED] as number, 1, 'folio.partially_mapped'), 1);
      this.putWords(w, o + lay.mcBase);
      const pages = code <= 0 ? 0 : nr;
      // Pages' (mapcount, AE) pairs go in as few puts as fit a word; contents, when tracked, one by one.
      let packed = 0;
      let packedBits = 0;
      const pageBitsHere = mcBits + 1;
      for (let p = o + lay.folioHead, end = p + pages * PAGE_WORDS; p < end; p += PAGE_WORDS) {
        const mapcount = bounded(w[p + PAGE_MAPCOUNT] as number, mcBits, 'page._mapcount');
        const exclusive = bounded(w[p + PAGE_ANON_EXCLUSIVE] as number, 1, 'page.anon_exclusive');
        packed |= (mapcount | (exclusive << mcBits)) << packedBits;
        packedBits += pageBitsHere;
        if (data || packedBits > 31 - pageBitsHere) {
          this.put(packed, packedBits);
          packed = 0;
          packedBits = 0;
        }
        if (data) this.putValue(w[p + PAGE_DATA] as number, gen);
      }
      if (packedBits > 0) this.put(packed, packedBits);
    }
    if (cfg.swap > 0) {
      const usedSwap = this.nextSwap;
      this.put(usedSwap, this.swapUsedBits);
      for (let c = 0; c < usedSwap; c++) {
        const o = lay.swap(this.swapOrder[c] as number);
        this.put(bounded(w[o + SWAP_SLOT_COUNT] as number, this.countBits, 'swap.count'), this.countBits);
        if (data) this.putValue(w[o + SWAP_SLOT_DATA] as number, gen);
        if (w[o + SWAP_SLOT_CACHE] === 0) this.put(0, 1);
        else this.put(1 | (this.folioRef(w[o + SWAP_SLOT_FOLIO] as number, gen) << 1), 1 + slotBits);
      }
    }
    if (this.badPageBits > 0)
      this.put(bounded(w[lay.badPage] as number, this.badPageBits, 'bad_page'), this.badPageBits);
    let pos = this.pos;
    if (this.n > 0) out[pos++] = this.acc;
    const end = at + this.words;
    if (pos > end) throw new EncodingOverflow('state', pos - at, this.words * 32);
    while (pos < end) out[pos++] = 0;
  }

  /**
   * How many bits the encoding of `w` takes (the generic encoder's own count, before the zero padding to
   * `words`): codec.widest.test.ts shows with it that the widest state needs every word. For tests and
   * reading; allocates.
   */
  bitLength(w: Int32Array): number {
    this.encodeGeneric(w, new Uint32Array(this.words), 0);
    return this.pos * 32 + this.n;
  }

  /**
   * Numbers what only the swapcache names, after the PTEs and pins: the swapcache folios of the swap slots
   * the PTEs named, in swap order; then the used slots no PTE names (a swapcache folio at swap count 0,
   * mapped or pinned, so numbered already: in its folio's order); then any other used slot (a leak), by index.
   */
  private numberSwapcache(w: Int32Array, gen: number): void {
    const { lay, cfg } = this;
    for (let c = 0; c < this.nextSwap; c++) {
      const o = lay.swap(this.swapOrder[c] as number);
      if (w[o + SWAP_SLOT_CACHE] !== 0) this.folioRef(w[o + SWAP_SLOT_FOLIO] as number, gen);
    }
    let rest = 0;
    for (let i = 0; i < cfg.swap; i++) if (this.swapSeen[i] !== gen && w[lay.swap(i) + SWAP_SLOT_USED] !== 0) rest++;
    if (rest === 0) return;
    for (let f = 0; f < this.nextFolio && rest > 0; f++) {
      const slot = this.order[f] as number;
      for (let i = 0; i < cfg.swap; i++) {
        const o = lay.swap(i);
        if (this.swapSeen[i] === gen || w[o + SWAP_SLOT_USED] === 0 || w[o + SWAP_SLOT_CACHE] === 0) continue;
        if (w[o + SWAP_SLOT_FOLIO] !== slot) continue;
        this.swapRef(i, gen);
        rest--;
      }
    }
    for (let i = 0; i < cfg.swap && rest > 0; i++) {
      const o = lay.swap(i);
      if (this.swapSeen[i] === gen || w[o + SWAP_SLOT_USED] === 0) continue;
      this.swapRef(i, gen);
      rest--;
      if (w[o + SWAP_SLOT_CACHE] !== 0) this.folioRef(w[o + SWAP_SLOT_FOLIO] as number, gen);
    }
  }

  /** The schemes' words of the folio whose `mc` starts at `o`: each as value - min in its bits. */
  private putWords(w: Int32Array, o: number): void {
    const codes = this.wordCodes;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] as WordCode;
      this.put(bounded((w[o + i] as number) - c.min, c.bits, c.name), c.bits);
    }
  }

  private out: Uint32Array = new Uint32Array(0);
  private acc = 0;
  private n = 0;
  private pos = 0;

  /** Appends `v` (already known to fit) in `bits` bits. */
  private put(v: number, bits: number): void {
    if (bits === 0) return;
    this.acc |= v << this.n;
    this.n += bits;
    if (this.n >= 32) {
      this.out[this.pos++] = this.acc;
      this.n -= 32;
      this.acc = this.n > 0 ? v >>> (bits - this.n) : 0;
    }
  }

  /** Reads the next `bits` bits (the inverse of `put`). */
  private take(bits: number): number {
    if (bits === 0) return 0;
    let v = this.acc >>> this.n;
    const have = 32 - this.n;
    if (bits < have) {
      this.n += bits;
      return v & ((1 << bits) - 1);
    }
    // The field ends at or beyond this word: take the rest from the next one.
    this.pos += 1;
    this.acc = this.src[this.pos] as number;
    const rest = bits - have;
    this.n = rest;
    if (rest > 0) v |= (this.acc & ((1 << rest) - 1)) << have;
    return v & ((1 << bits) - 1);
  }

  private src: Uint32Array = new Uint32Array(0);

  /**
   * The definition of decoding: writes the state encoded at `src[at..]` into `w` (a `Layout` buffer), names
   * in canonical order. decoder.ts compiles the same reads per configuration; this one is their reference.
   */
  decodeGeneric(src: Uint32Array, at: number, w: Int32Array): void {
    const { cfg, lay, kindBits, slotBits, pageBits, data } = this;
    const { mms, va, pins, pt, nrPt } = cfg;
    w.fill(0);
    this.src = src;
    this.pos = at;
    this.acc = src[at] as number;
    this.n = 0;
    this.decodedValues = 0;

    for (let m = 0; m < mms; m++) {
      const mo = lay.mm(m);
      w[mo + MM_LIVE] = this.take(1);
      if (w[mo + MM_LIVE] === 0) continue;
      for (let a = 0; a < va; a++) {
        const o = lay.vm(m, a);
        if (!this.trackVm) {
          // Every page of a live mm is in its one writable VMA, pgoff = address.
          w[o + VM_MAPPED] = 1;
          w[o + VM_WRITE] = 1;
          w[o + VM_ACCOUNT] = 1;
          w[o + VM_PGOFF] = a;
          continue;
        }
        if (this.take(1) === 0) continue;
        w[o + VM_MAPPED] = 1;
        w[o + VM_WRITE] = this.take(1);
        w[o + VM_DONTCOPY] = this.take(1);
        w[o + VM_ACCOUNT] = this.take(1);
        w[o + VM_FORK_CHILD] = this.take(1);
        w[o + VM_ANON_VMA] = this.take(this.anonVmaBits);
        w[o + VM_PGOFF] = this.take(this.pgoffBits);
      }
      for (let t = 0; t < nrPt; t++) {
        if (this.hasPmd && this.take(1) === 1) {
          const o = lay.pmd(m, t);
          w[o + PMD_HUGE] = 1;
          w[o + PMD_WRITE] = this.take(1);
          w[o + PMD_FOLIO] = this.take(slotBits);
        }
        for (let a = t * pt; a < (t + 1) * pt; a++) {
          const o = lay.pte(m, a);
          const kind = this.take(kindBits);
          if (kind === KIND_PRESENT) {
            w[o + PTE_PRESENT] = 1;
            w[o + PTE_WRITE] = this.take(1);
            w[o + PTE_FOLIO] = this.take(slotBits);
            w[o + PTE_PAGE] = this.take(pageBits);
          } else if (kind === KIND_ZERO) {
            w[o + PTE_ZERO] = 1;
          } else if (kind === KIND_SWAP) {
            w[o + PTE_SWP] = 1;
            w[o + PTE_SWP_EXCLUSIVE] = this.take(1);
            w[o + PTE_SWAP] = this.take(this.swapBits);
          }
        }
      }
      if (data) for (let a = 0; a < va; a++) w[lay.expect(m, a)] = this.takeValue();
    }
    for (let k = 0; k < pins; k++) {
      if (this.take(1) === 0) continue;
      const o = lay.pin(k);
      w[o + PIN_LIVE] = 1;
      w[o + PIN_ATTACHED] = this.take(1);
      w[o + PIN_WRITE] = this.take(1);
      if (this.pinFlagBits === 4) w[o + PIN_GET] = this.take(1);
      w[o + PIN_MM] = this.take(this.pinMmBits);
      w[o + PIN_ADDR] = this.take(this.pinAddrBits);
      w[o + PIN_FOLIO] = this.take(slotBits);
      w[o + PIN_PAGE] = this.take(this.pinPageBits);
      if (data) w[o + PIN_EXPECT] = this.takeValue();
    }
    const used = this.take(this.usedBits);
    let allocated = 0;
    for (let c = 0; c < used; c++) {
      const o = lay.folio(c);
      const head = this.take(this.orderBits + this.refBits + this.pinBits);
      const code = head & ((1 << this.orderBits) - 1);
      const nr = code === 0 ? 0 : 1 << (code - 1);
      w[o + FOLIO_USED] = code === 0 ? 0 : 1;
      if (code !== 0) allocated += 1;
      w[o + FOLIO_NR_PAGES] = nr;
      w[o + FOLIO_REFCOUNT] = (head >>> this.orderBits) & ((1 << this.refBits) - 1);
      w[o + FOLIO_PINCOUNT] = head >>> (this.orderBits + this.refBits);
      if (this.entireBits > 0) w[o + FOLIO_ENTIRE_MAPCOUNT] = this.take(this.entireBits);
      if (this.partialBits > 0) w[o + FOLIO_PARTIALLY_MAPPED] = this.take(1);
      const codes = this.wordCodes;
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i] as WordCode;
        w[o + lay.mcBase + i] = this.take(c.bits) + c.min;
      }
      for (let j = 0; j < nr; j++) {
        const p = o + lay.folioHead + j * PAGE_WORDS;
        w[p + PAGE_MAPCOUNT] = this.take(this.mcBits);
        w[p + PAGE_ANON_EXCLUSIVE] = this.take(1);
        if (data) w[p + PAGE_DATA] = this.takeValue();
      }
    }
    w[lay.nrFolios] = allocated;
    if (cfg.swap > 0) {
      const usedSwap = this.take(this.swapUsedBits);
      for (let c = 0; c < usedSwap; c++) {
        const o = lay.swap(c);
        w[o + SWAP_SLOT_USED] = 1;
        w[o + SWAP_SLOT_COUNT] = this.take(this.countBits);
        if (data) w[o + SWAP_SLOT_DATA] = this.takeValue();
        if (this.take(1) === 1) {
          w[o + SWAP_SLOT_CACHE] = 1;
          w[o + SWAP_SLOT_FOLIO] = this.take(slotBits);
        }
      }
    }
    w[lay.values] = this.decodedValues;
    if (this.badPageBits > 0) w[lay.badPage] = this.take(this.badPageBits);
  }

  private decodedValues = 0;
  private takeValue(): number {
    const v = this.take(this.valueBits);
    if (v > this.decodedValues) this.decodedValues = v;
    return v;
  }
}
