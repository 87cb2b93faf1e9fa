/**
 * The codec's encoder compiled for one configuration. `Codec.encodeGeneric` (codec.ts) is the definition:
 * this emits the same traversal, the same canonical numbering and the same bit format as JavaScript source
 * in which every word offset, field width and loop bound of the configuration is a literal and the bit
 * writer lives in locals, and compiles it once per `Codec`. The generic encoder keeps its state in the
 * object (a `put` loads and stores the accumulator, its bit count and the position), which cost about half of
 * its time on core-safe-s5; here they are registers. codec.compiled.test.ts checks, on reachable and on
 * arbitrary out-of-range states of many configurations, that both write the same words and refuse the same
 * values with the same field named.
 *
 * The loops over mms, VMAs, page tables, PTEs and pins are written out while those records are few
 * (`UNROLL_LIMIT`), and stay loops with literal bounds past it, so that the emitted function stays small
 * whatever the bounds; the loops over folios and their pages always stay loops. Where code generation is not
 * allowed (a page whose content security policy forbids it), the codec keeps the generic encoder.
 *
 * Over 300 lines: each section of the emitter mirrors a section of the generic encoder, in its order, so
 * that the two read side by side; split, a change to the format would be made in more places.
 */
import type { CodecPlan, Overflow } from './codecPlan.js';

export type Encode = (w: Int32Array, out: Uint32Array, at: number) => void;

/**
 * Records (the addresses of every mm, and the pins) up to which the encoder's loops are written out:
 * bench-core and the whole-model preset have 9. Measured on 3,000 of core-safe-s5's states, encoded 300 times
 * each (encode alone, in cache): 83 ns a state as loops, 60 ns written out (the generic encoder: 167 ns).
 */
const UNROLL_LIMIT = 64;

/** The encoder of `p`, compiled; undefined where the platform forbids generated code. */
export function compileEncoder(
  p: CodecPlan,
  orderCode: Int8Array,
  overflow: Overflow,
  unrollLimit = UNROLL_LIMIT,
  generation = 0,
): Encode | undefined {
  const source = encoderSource(p, unrollLimit, generation);
  let factory: (...args: unknown[]) => Encode;
  try {
    factory = new Function('orderCode', 'ovf', source) as typeof factory;
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
  return factory(orderCode, overflow);
}

/** The source of the factory `compileEncoder` compiles: exported for the tests and for reading. */
export function encoderSource(p: CodecPlan, unrollLimit = UNROLL_LIMIT, generation = 0): string {
  return new Emitter(p, unrollLimit, generation).factory();
}

class Emitter {
  private readonly p: CodecPlan;
  private readonly lines: string[] = [];
  private temps = 0;
  /** Loops over mms, VMAs, page tables, PTEs and pins written out (`repeat`). */
  private readonly unrolled: boolean;

  /** Where the generation counter starts (0; a test starts it near its wrap). */
  private readonly generation: number;

  constructor(p: CodecPlan, unrollLimit: number, generation: number) {
    this.p = p;
    this.generation = generation | 0;
    this.unrolled = p.mms * p.va + p.pins <= unrollLimit;
  }

  /** A field's offset in its record. */
  private f(record: string, field: string): number {
    const o = this.p.at[record]?.[field];
    if (o === undefined) throw new Error(`encoder: no field ${record}.${field}`);
    return o;
  }

  private emit(line: string): void {
    this.lines.push(line);
  }

  /**
   * `for (let i = 0; i < count; i++) body`: written out as `count` blocks, each `{ const i = <n>; body }`,
   * where the state's records are few (V8 then folds every offset into a literal), a loop otherwise.
   * Bodies do not use `continue`.
   */
  private repeat(count: number, i: string, body: () => void): void {
    if (this.unrolled) {
      for (let n = 0; n < count; n++) {
        this.emit(`{ const ${i} = ${n};`);
        body();
        this.emit('}');
      }
      return;
    }
    this.emit(`for (let ${i} = 0; ${i} < ${count}; ${i}++) {`);
    body();
    this.emit('}');
  }

  /** A fresh local; declared at the top of the function. */
  private temp(): string {
    return `t${this.temps++}`;
  }

  /** `bounded(expr, bits, field)`: the value in a fresh local, checked as codec.ts checks it. */
  private bounded(expr: string, bits: number, field: string): string {
    const t = this.temp();
    this.emit(`${t} = ${expr};`);
    const bad = bits < 32 ? `(${t} >>> ${bits}) !== 0` : `${t} < 0`;
    this.emit(`if (${bad}) ovf(${JSON.stringify(field)}, ${t}, ${bits});`);
    return t;
  }

  /**
   * `put(expr, bits)`, `bits` a literal or the name of a local holding a positive count. The expression is
   * evaluated even for 0 bits, as the generic call's argument is.
   */
  private put(expr: string, bits: number | string): void {
    if (bits === 0) {
      this.emit(`v = ${expr};`);
      return;
    }
    this.emit(`v = ${expr}; acc |= v << n; n += ${bits};`);
    this.emit(`if (n >= 32) { out[pos++] = acc; n -= 32; acc = n > 0 ? v >>> (${bits} - n) : 0; }`);
  }

  /** `folioRef(slot)`: the slot's canonical number in a fresh local, numbering it on first reference. */
  private folioRef(slot: string): string {
    const s = this.temp();
    const c = this.temp();
    this.emit(`${s} = ${slot};`);
    this.emit(`if (seen[${s}] === g) ${c} = canon[${s}];`);
    this.emit(`else { if ((${s} >>> 0) >= ${this.p.slots}) ovf("folio slot", ${s}, ${this.p.slotBits});`);
    this.emit(`seen[${s}] = g; ${c} = nf++; canon[${s}] = ${c}; order[${c}] = ${s}; }`);
    return c;
  }

  /** `swapRef(i)`: the swap slot's canonical number in a fresh local, numbering it on first reference. */
  private swapRef(i: string): string {
    const c = this.temp();
    this.emit(`if (swapSeen[${i}] === g) ${c} = swapCanon[${i}];`);
    this.emit(`else { if ((${i} >>> 0) >= ${this.p.swap}) ovf("swap slot", ${i}, ${this.p.swapBits});`);
    this.emit(`swapSeen[${i}] = g; ${c} = ns++; swapCanon[${i}] = ${c}; swapOrder[${c}] = ${i}; }`);
    return c;
  }

  /** `putValue(expr)`: a content value, canonical by first occurrence. */
  private putValue(expr: string): void {
    const { valueBits, values } = this.p;
    const x = this.temp();
    this.emit(`${x} = ${expr};`);
    this.emit(`if (${x} === 0) {`);
    this.put('0', valueBits);
    this.emit('} else {');
    this.emit(`if ((${x} >>> 31) !== 0) ovf("content value", ${x}, 31);`);
    this.emit(`if (${x} >= ${values}) ovf("content value", ${x}, ${valueBits});`);
    this.emit(`if (valueSeen[${x}] === g) ${x} = valueCanon[${x}];`);
    this.emit(`else { valueSeen[${x}] = g; valueCanon[${x}] = ++nv; ${x} = nv; }`);
    this.put(this.bounded(x, valueBits, 'content value'), valueBits);
    this.emit('}');
  }

  factory(): string {
    const p = this.p;
    this.body();
    const temps = Array.from({ length: this.temps }, (_, i) => `t${i} = 0`).join(', ');
    return [
      // Strict: a local the emitter forgot to declare is an error at the first encode, not a global.
      "'use strict';",
      `const seen = new Int32Array(${p.slots}), canon = new Int32Array(${p.slots}), order = new Int32Array(${p.slots});`,
      `const swapSeen = new Int32Array(${p.swap}), swapCanon = new Int32Array(${p.swap}), swapOrder = new Int32Array(${p.swap});`,
      `const valueSeen = new Int32Array(${p.values}), valueCanon = new Int32Array(${p.values});`,
      `const anonVmaSeen = new Int32Array(${p.anonVmas}), anonVmaCanon = new Int32Array(${p.anonVmas});`,
      `let gen = ${this.generation};`,
      'return function encode(w, out, at) {',
      'gen = (gen + 1) | 0;',
      'if (gen === 0) { seen.fill(0); swapSeen.fill(0); valueSeen.fill(0); anonVmaSeen.fill(0); gen = 1; }',
      'const g = gen;',
      'let nf = 0, ns = 0, nv = 0, na = 0, acc = 0, n = 0, pos = at, v = 0, o = 0;',
      ...(temps === '' ? [] : [`let ${temps};`]),
      ...this.lines,
      '};',
    ].join('\n');
  }

  private body(): void {
    const p = this.p;
    this.repeat(p.mms, 'm', () => {
      this.emit(`const mo = ${p.mmBase} + m * ${p.mmSize};`);
      this.put(this.bounded(`w[mo + ${this.f('mm', 'live')}]`, 1, 'mm.live'), 1);
      this.emit('if (v !== 0) {');
      if (p.trackVm) this.vmas();
      this.repeat(p.nrPt, 't', () => {
        if (p.hasPmd) this.pmd();
        this.ptes();
      });
      if (p.data) this.repeat(p.va, 'a', () => this.putValue(`w[mo + ${p.expectBase} + a]`));
      this.emit('}');
    });
    this.pinsSection();
    if (p.swap > 0) this.numberSwapcache();
    this.foliosSection();
    if (p.swap > 0) this.swapSection();
    if (p.badPageBits > 0) this.put(this.bounded(`w[${p.badPage}]`, p.badPageBits, 'bad_page'), p.badPageBits);
    this.emit('if (n > 0) out[pos++] = acc;');
    this.emit(`if (pos > at + ${p.words}) ovf("state", pos - at, ${p.words * 32});`);
    this.emit(`while (pos < at + ${p.words}) out[pos++] = 0;`);
  }

  private vmas(): void {
    const p = this.p;
    this.repeat(p.va, 'a', () => this.vma());
  }

  private vma(): void {
    const p = this.p;
    const f = (name: string) => this.f('vm', name);
    this.emit(`o = mo + ${p.vmBase} + a * ${p.vmWords};`);
    this.emit(`if (w[o + ${f('mapped')}] === 0) {`);
    this.put('0', 1);
    this.emit('} else {');
    const flags = ['write', 'dontcopy', 'account', 'fork_child'].map((name) =>
      this.bounded(`w[o + ${f(name)}]`, 1, `vm.${name}`),
    );
    this.put(`1 | ${flags.map((t, i) => `(${t} << ${i + 1})`).join(' | ')}`, 5);
    const x = this.temp();
    this.emit(`${x} = w[o + ${f('anon_vma')}];`);
    this.emit(`if (${x} !== 0) {`);
    this.emit(`if (${x} < 0 || ${x} >= ${p.anonVmas}) ovf("vm.anon_vma", ${x}, ${p.anonVmaBits});`);
    this.emit(`if (anonVmaSeen[${x}] === g) ${x} = anonVmaCanon[${x}];`);
    this.emit(`else { anonVmaSeen[${x}] = g; anonVmaCanon[${x}] = ++na; ${x} = na; }`);
    this.emit('}');
    this.put(x, p.anonVmaBits);
    this.put(this.bounded(`w[o + ${f('pgoff')}]`, p.pgoffBits, 'vm.pgoff'), p.pgoffBits);
    this.emit('}');
  }

  private pmd(): void {
    const p = this.p;
    const f = (name: string) => this.f('pmd', name);
    this.emit(`o = mo + ${p.pmdBase} + t * ${p.pmdWords};`);
    this.emit(`if (w[o + ${f('huge')}] === 0) {`);
    this.put('0', 1);
    this.emit('} else {');
    this.put(`1 | (${this.bounded(`w[o + ${f('write')}]`, 1, 'pmd.write')} << 1)`, 2);
    this.put(this.folioRef(`w[o + ${f('folio')}]`), p.slotBits);
    this.emit('}');
  }

  private ptes(): void {
    const p = this.p;
    const { kindBits, slotBits, pageBits } = p;
    const presentBits = kindBits + 1 + slotBits + pageBits;
    this.repeat(p.pt, 'e', () => this.pte(presentBits));
  }

  private pte(presentBits: number): void {
    const p = this.p;
    const { kindBits, slotBits, pageBits } = p;
    const f = (name: string) => this.f('pte', name);
    this.emit(`o = mo + ${p.pteBase} + (t * ${p.pt} + e) * ${p.pteWords};`);
    this.emit(`if (w[o + ${f('present')}] !== 0) {`);
    const c = this.folioRef(`w[o + ${f('folio')}]`);
    const write = this.bounded(`w[o + ${f('write')}]`, 1, 'pte.write');
    const page = this.bounded(`w[o + ${f('page')}]`, pageBits, 'pte.page');
    this.put(
      `1 | (${write} << ${kindBits}) | (${c} << ${kindBits + 1}) | (${page} << ${kindBits + 1 + slotBits})`,
      presentBits,
    );
    if (kindBits === 1) {
      this.emit('} else {');
      this.put('0', 1);
      this.emit('}');
    } else {
      this.emit(`} else if (w[o + ${f('zero')}] !== 0) {`);
      if (!p.zeroPtes) this.emit('ovf("pte.zero", 1, 0);');
      this.put('2', kindBits);
      this.emit(`} else if (w[o + ${f('swp')}] !== 0) {`);
      if (p.swap === 0) this.emit('ovf("pte.swp", 1, 0);');
      const ex = this.bounded(`w[o + ${f('swp_exclusive')}]`, 1, 'pte.swp_exclusive');
      this.put(`3 | (${ex} << ${kindBits})`, kindBits + 1);
      const i = this.temp();
      this.emit(`${i} = w[o + ${f('swap')}];`);
      this.put(this.swapRef(i), p.swapBits);
      this.emit('} else {');
      this.put('0', kindBits);
      this.emit('}');
    }
  }

  private pinsSection(): void {
    const p = this.p;
    this.repeat(p.pins, 'k', () => this.pin());
  }

  private pin(): void {
    const p = this.p;
    const f = (name: string) => this.f('pin', name);
    this.emit(`o = ${p.pinBase} + k * ${p.pinWords};`);
    this.emit(`if (w[o + ${f('live')}] === 0) {`);
    this.put('0', 1);
    this.emit('} else {');
    const c = this.folioRef(`w[o + ${f('folio')}]`);
    // `get` has a bit only where FOLL_GET references exist (pinFlagBits 4); elsewhere a 1 there is refused.
    const flags = ['attached', 'write', 'get'].map((name) =>
      this.bounded(`w[o + ${f(name)}]`, name === 'get' ? p.pinFlagBits - 3 : 1, `pin.${name}`),
    );
    this.put(`1 | ${flags.map((t, i) => `(${t} << ${i + 1})`).join(' | ')}`, p.pinFlagBits);
    this.put(this.bounded(`w[o + ${f('mm')}]`, p.pinMmBits, 'pin.mm'), p.pinMmBits);
    this.put(this.bounded(`w[o + ${f('addr')}]`, p.pinAddrBits, 'pin.addr'), p.pinAddrBits);
    this.put(c, p.slotBits);
    this.put(this.bounded(`w[o + ${f('page')}]`, p.pinPageBits, 'pin.page'), p.pinPageBits);
    if (p.data) this.putValue(`w[o + ${f('expect')}]`);
    this.emit('}');
  }

  /** codec.ts numberSwapcache(), with the same three passes. */
  private numberSwapcache(): void {
    const p = this.p;
    const f = (name: string) => this.f('swap_slot', name);
    const slot = (i: string) => `${p.swapBase} + ${i} * ${p.swapWords}`;
    this.emit('for (let c = 0; c < ns; c++) {');
    this.emit(`o = ${slot('swapOrder[c]')};`);
    this.emit(`if (w[o + ${f('cache')}] !== 0) {`);
    this.folioRef(`w[o + ${f('folio')}]`);
    this.emit('} }');
    this.emit('let rest = 0;');
    this.emit(
      `for (let i = 0; i < ${p.swap}; i++) if (swapSeen[i] !== g && w[${slot('i')} + ${f('used')}] !== 0) rest++;`,
    );
    this.emit('if (rest > 0) {');
    this.emit('for (let c = 0; c < nf && rest > 0; c++) {');
    this.emit(`for (let i = 0; i < ${p.swap}; i++) {`);
    this.emit(`o = ${slot('i')};`);
    this.emit(`if (swapSeen[i] === g || w[o + ${f('used')}] === 0 || w[o + ${f('cache')}] === 0) continue;`);
    this.emit(`if (w[o + ${f('folio')}] !== order[c]) continue;`);
    this.swapRef('i');
    this.emit('rest--; } }');
    this.emit(`for (let i = 0; i < ${p.swap} && rest > 0; i++) {`);
    this.emit(`o = ${slot('i')};`);
    this.emit(`if (swapSeen[i] === g || w[o + ${f('used')}] === 0) continue;`);
    this.swapRef('i');
    this.emit('rest--;');
    this.emit(`if (w[o + ${f('cache')}] !== 0) {`);
    this.folioRef(`w[o + ${f('folio')}]`);
    this.emit('} } }');
  }

  private foliosSection(): void {
    const p = this.p;
    const f = (name: string) => this.f('folio', name);
    const pg = (name: string) => this.f('page', name);
    // Used slots nothing references (a leak) keep their place after the referenced ones.
    this.emit(
      `for (let s = 0, o = ${p.folioBase}; nf < w[${p.nrFolios}] && s < ${p.slots}; s++, o += ${p.folioSize}) {`,
    );
    this.emit(`if (seen[s] !== g && w[o + ${f('used')}] !== 0) { seen[s] = g; canon[s] = nf; order[nf++] = s; }`);
    this.emit('}');
    this.emit('const used = nf;');
    this.put('used', p.usedBits);
    this.emit('for (let c = 0; c < used; c++) {');
    this.emit(`o = ${p.folioBase} + order[c] * ${p.folioSize};`);
    this.emit(`const nr = w[o + ${f('nr_pages')}];`);
    this.emit(`const code = w[o + ${f('used')}] === 0 ? 0 : (orderCode[nr] ?? -1);`);
    const code = this.bounded('code', p.orderBits, 'folio.nr_pages');
    const ref = this.bounded(`w[o + ${f('_refcount')}]`, p.refBits, 'folio._refcount');
    const pin = this.bounded(`w[o + ${f('_pincount')}]`, p.pinBits, 'folio._pincount');
    this.put(
      `${code} | (${ref} << ${p.orderBits}) | (${pin} << ${p.orderBits + p.refBits})`,
      p.orderBits + p.refBits + p.pinBits,
    );
    if (p.entireBits > 0) {
      const e = this.bounded(`w[o + ${f('_entire_mapcount')}]`, p.entireBits, 'folio._entire_mapcount');
      this.put(e, p.entireBits);
    }
    if (p.partialBits > 0) this.put(this.bounded(`w[o + ${f('partially_mapped')}]`, 1, 'folio.partially_mapped'), 1);
    p.wordCodes.forEach((c, i) => {
      this.put(this.bounded(`w[o + ${p.mcBase + i}] - ${c.min}`, c.bits, c.name), c.bits);
    });
    // Pages' (mapcount, AE) pairs in as few puts as fit a word; contents, when tracked, one by one.
    const pageBits = p.mcBits + 1;
    this.emit('let packed = 0, packedBits = 0;');
    this.emit(
      `for (let r = o + ${p.folioHead}, end = r + (code <= 0 ? 0 : nr) * ${p.pageWords}; r < end; r += ${p.pageWords}) {`,
    );
    const mc = this.bounded(`w[r + ${pg('_mapcount')}]`, p.mcBits, 'page._mapcount');
    const ae = this.bounded(`w[r + ${pg('anon_exclusive')}]`, 1, 'page.anon_exclusive');
    this.emit(`packed |= (${mc} | (${ae} << ${p.mcBits})) << packedBits; packedBits += ${pageBits};`);
    this.emit(p.data ? '{' : `if (packedBits > ${31 - pageBits}) {`);
    this.put('packed', 'packedBits');
    this.emit('packed = 0; packedBits = 0; }');
    if (p.data) this.putValue(`w[r + ${pg('data')}]`);
    this.emit('}');
    this.emit('if (packedBits > 0) {');
    this.put('packed', 'packedBits');
    this.emit('}');
    this.emit('}');
  }

  private swapSection(): void {
    const p = this.p;
    const f = (name: string) => this.f('swap_slot', name);
    this.emit('const usedSwap = ns;');
    this.put('usedSwap', p.swapUsedBits);
    this.emit('for (let c = 0; c < usedSwap; c++) {');
    this.emit(`o = ${p.swapBase} + swapOrder[c] * ${p.swapWords};`);
    this.put(this.bounded(`w[o + ${f('count')}]`, p.countBits, 'swap.count'), p.countBits);
    if (p.data) this.putValue(`w[o + ${f('data')}]`);
    this.emit(`if (w[o + ${f('cache')}] === 0) {`);
    this.put('0', 1);
    this.emit('} else {');
    const c = this.folioRef(`w[o + ${f('folio')}]`);
    this.put(`1 | (${c} << 1)`, 1 + p.slotBits);
    this.emit('} }');
  }
}
