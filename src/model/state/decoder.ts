/**
 * The codec's decoder compiled for one configuration, as encoder.ts compiles the encoder: the same reads as
 * `Codec.decodeGeneric` (codec.ts), every offset and width a literal, the bit reader in locals.
 * codec.compiled.test.ts checks that both write the same working state from every encoding of random runs
 * and from arbitrary words.
 */
import type { CodecPlan } from './codecPlan.js';

export type Decode = (src: Uint32Array, at: number, w: Int32Array) => void;

/** The decoder of `p`, compiled; undefined where the platform forbids generated code. */
export function compileDecoder(p: CodecPlan): Decode | undefined {
  try {
    return new Function(decoderSource(p))() as Decode;
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}

/** The source of the function body `compileDecoder` compiles. */
export function decoderSource(p: CodecPlan): string {
  const lines: string[] = [];
  const emit = (line: string): void => {
    lines.push(line);
  };
  const f = (record: string, field: string): number => {
    const o = p.at[record]?.[field];
    if (o === undefined) throw new Error(`decoder: no field ${record}.${field}`);
    return o;
  };
  /** `x = take(bits)`, codec.ts's bit reader written out. */
  const take = (x: string, bits: number): void => {
    if (bits === 0) {
      emit(`${x} = 0;`);
      return;
    }
    emit(`${x} = acc >>> n; h = 32 - n;`);
    emit(`if (${bits} < h) n += ${bits};`);
    emit(`else { acc = src[++pos]; n = ${bits} - h; if (n > 0) ${x} |= (acc & ((1 << n) - 1)) << h; }`);
    emit(`${x} &= ${(1 << bits) - 1};`);
  };
  /** `w[at] = take(bits)`. */
  const field = (at: string, bits: number): void => {
    take('x', bits);
    emit(`w[${at}] = x;`);
  };
  const value = (at: string): void => {
    take('x', p.valueBits);
    emit(`if (x > dv) dv = x; w[${at}] = x;`);
  };

  emit('w.fill(0);');
  emit('let pos = at, acc = src[at], n = 0, dv = 0, x = 0, h = 0, o = 0;');
  emit(`for (let m = 0, mo = ${p.mmBase}; m < ${p.mms}; m++, mo += ${p.mmSize}) {`);
  field(`mo + ${f('mm', 'live')}`, 1);
  emit('if (x === 0) continue;');
  emit(`for (let a = 0; a < ${p.va}; a++) {`);
  emit(`o = mo + ${p.vmBase} + a * ${p.vmWords};`);
  if (!p.trackVm) {
    // Every page of a live mm is in its one writable VMA, pgoff = address.
    for (const name of ['mapped', 'write', 'account']) emit(`w[o + ${f('vm', name)}] = 1;`);
    emit(`w[o + ${f('vm', 'pgoff')}] = a;`);
  } else {
    take('x', 1);
    emit('if (x === 0) continue;');
    emit(`w[o + ${f('vm', 'mapped')}] = 1;`);
    for (const name of ['write', 'dontcopy', 'account', 'fork_child']) field(`o + ${f('vm', name)}`, 1);
    field(`o + ${f('vm', 'anon_vma')}`, p.anonVmaBits);
    field(`o + ${f('vm', 'pgoff')}`, p.pgoffBits);
  }
  emit('}');
  emit(`for (let t = 0; t < ${p.nrPt}; t++) {`);
  if (p.hasPmd) {
    take('x', 1);
    emit('if (x === 1) {');
    emit(`o = mo + ${p.pmdBase} + t * ${p.pmdWords};`);
    emit(`w[o + ${f('pmd', 'huge')}] = 1;`);
    field(`o + ${f('pmd', 'write')}`, 1);
    field(`o + ${f('pmd', 'folio')}`, p.slotBits);
    emit('}');
  }
  emit(`for (let a = t * ${p.pt}; a < (t + 1) * ${p.pt}; a++) {`);
  emit(`o = mo + ${p.pteBase} + a * ${p.pteWords};`);
  take('x', p.kindBits);
  emit('if (x === 1) {');
  emit(`w[o + ${f('pte', 'present')}] = 1;`);
  field(`o + ${f('pte', 'write')}`, 1);
  field(`o + ${f('pte', 'folio')}`, p.slotBits);
  field(`o + ${f('pte', 'page')}`, p.pageBits);
  emit('} else if (x === 2) {');
  emit(`w[o + ${f('pte', 'zero')}] = 1;`);
  emit('} else if (x === 3) {');
  emit(`w[o + ${f('pte', 'swp')}] = 1;`);
  field(`o + ${f('pte', 'swp_exclusive')}`, 1);
  field(`o + ${f('pte', 'swap')}`, p.swapBits);
  emit('} } }');
  if (p.data) {
    emit(`for (let a = 0; a < ${p.va}; a++) {`);
    value(`mo + ${p.expectBase} + a`);
    emit('}');
  }
  emit('}');

  emit(`for (let k = 0; k < ${p.pins}; k++) {`);
  take('x', 1);
  emit('if (x === 0) continue;');
  emit(`o = ${p.pinBase} + k * ${p.pinWords};`);
  emit(`w[o + ${f('pin', 'live')}] = 1;`);
  field(`o + ${f('pin', 'attached')}`, 1);
  field(`o + ${f('pin', 'write')}`, 1);
  if (p.pinFlagBits === 4) field(`o + ${f('pin', 'get')}`, 1);
  field(`o + ${f('pin', 'mm')}`, p.pinMmBits);
  field(`o + ${f('pin', 'addr')}`, p.pinAddrBits);
  field(`o + ${f('pin', 'folio')}`, p.slotBits);
  field(`o + ${f('pin', 'page')}`, p.pinPageBits);
  if (p.data) value(`o + ${f('pin', 'expect')}`);
  emit('}');

  const { orderBits, refBits } = p;
  take('x', p.usedBits);
  emit('const used = x; let allocated = 0;');
  emit(`for (let c = 0; c < used; c++) {`);
  emit(`o = ${p.folioBase} + c * ${p.folioSize};`);
  take('x', orderBits + refBits + p.pinBits);
  emit(`const code = x & ${(1 << orderBits) - 1};`);
  emit('const nr = code === 0 ? 0 : 1 << (code - 1);');
  emit(`w[o + ${f('folio', 'used')}] = code === 0 ? 0 : 1;`);
  emit('if (code !== 0) allocated += 1;');
  emit(`w[o + ${f('folio', 'nr_pages')}] = nr;`);
  emit(`w[o + ${f('folio', '_refcount')}] = (x >>> ${orderBits}) & ${(1 << refBits) - 1};`);
  emit(`w[o + ${f('folio', '_pincount')}] = x >>> ${orderBits + refBits};`);
  if (p.entireBits > 0) field(`o + ${f('folio', '_entire_mapcount')}`, p.entireBits);
  if (p.partialBits > 0) field(`o + ${f('folio', 'partially_mapped')}`, 1);
  p.wordCodes.forEach((c, i) => {
    take('x', c.bits);
    emit(`w[o + ${p.mcBase + i}] = x + ${c.min};`);
  });
  emit(`for (let j = 0, r = o + ${p.folioHead}; j < nr; j++, r += ${p.pageWords}) {`);
  field(`r + ${f('page', '_mapcount')}`, p.mcBits);
  field(`r + ${f('page', 'anon_exclusive')}`, 1);
  if (p.data) value(`r + ${f('page', 'data')}`);
  emit('} }');
  emit(`w[${p.nrFolios}] = allocated;`);

  if (p.swap > 0) {
    const s = (name: string) => f('swap_slot', name);
    take('x', p.swapUsedBits);
    emit('const usedSwap = x;');
    emit('for (let c = 0; c < usedSwap; c++) {');
    emit(`o = ${p.swapBase} + c * ${p.swapWords};`);
    emit(`w[o + ${s('used')}] = 1;`);
    field(`o + ${s('count')}`, p.countBits);
    if (p.data) value(`o + ${s('data')}`);
    take('x', 1);
    emit('if (x === 1) {');
    emit(`w[o + ${s('cache')}] = 1;`);
    field(`o + ${s('folio')}`, p.slotBits);
    emit('} }');
  }
  emit(`w[${p.valuesWord}] = dv;`);
  if (p.badPageBits > 0) field(`${p.badPage}`, p.badPageBits);
  // Strict: a local the emitter forgot to declare is an error at the first decode, not a global.
  return `'use strict';\nreturn function decode(src, at, w) {\n${lines.join('\n')}\n};`;
}
