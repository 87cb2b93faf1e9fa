/**
 * The compiled encoder (encoder.ts) is the generic one (codec.ts `encodeGeneric`) under every configuration:
 * on every state of random runs of random configurations both write the same words, and on those states with
 * fields overwritten by arbitrary values (out of range, negative, naming no slot) both write the same words
 * or both refuse with the same field, value and width. The compiled decoder (decoder.ts) is the generic one
 * (`decodeGeneric`): from those encodings and from arbitrary words both write the same working state.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { codecConfigs, codecOf, outcome } from '../../../test/encoders.js';
import { config, randomRun } from '../../../test/helpers.js';
import type { Config } from '../config.js';
import { OP_NAMES } from '../steps/index.js';
import type { Codec } from './codec.js';
import { decoderSource } from './decoder.js';
import { encoderSource } from './encoder.js';
import type { RecordSpec } from './field.js';
import { copyKernel } from './plain.js';
import { KERNEL, type Kernel } from './schema.js';
import { PTE_AT, VM_AT } from './views.generated.js';
import type { KernelView } from './views.js';

const configs = codecConfigs({ ptLog: 3, slots: 10, pins: 2, swap: 3, decider: false });

/** A codec of `cfg`, its encoder's loops written out (as for small bounds) or, with `loops`, kept as loops. */
function setup(cfg: Config, loops = false): { codec: Codec; view: KernelView } {
  return codecOf(cfg, loops ? { unrollLimit: 0 } : {});
}

describe('the compiled encoder writes what the generic one writes', () => {
  test('a configuration compiles (no fallback in this runtime), its loops written out or kept', () => {
    const { codec } = setup(config());
    expect(codec.encode).not.toBe(codec.encodeGeneric);
    expect(encoderSource(codec.plan())).not.toContain('for (let m = 0;');
    expect(encoderSource(codec.plan(), 0)).toContain('for (let m = 0;');
    expect(codec.decode).not.toBe(codec.decodeGeneric);
    expect(encoderSource(codec.plan())).toContain('return function encode(w, out, at)');
    expect(decoderSource(codec.plan())).toContain('return function decode(src, at, w)');
  });

  test.prop([fc.constantFrom(16, 32, 64), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean()], { numRuns: 12 })(
    'folios of 16 to 64 pages, whose pages (mapcount, AE) pairs take several words',
    (large, choices, loops) => {
      const ops = ['fault', 'zap', 'fork', 'wp'];
      const cfg = config({ mms: 2, va: large, pt: large, large, slots: 4, pins: 0, ops });
      const { codec, view } = setup(cfg, loops);
      const generic = codec.encodeGeneric.bind(codec);
      for (const k of randomRun(cfg, [0, ...choices]).states) {
        copyKernel(k, view);
        const want = outcome(generic, view.w, codec.words);
        expect(Array.isArray(want), 'a reachable state encodes').toBe(true);
        expect(outcome(codec.encode, view.w, codec.words)).toEqual(want);
      }
    },
  );

  test.prop([configs, fc.array(fc.nat(), { maxLength: 30 }), fc.boolean()], { numRuns: 60 })(
    'every state of a random run of a random configuration',
    (cfg, choices, loops) => {
      const { codec, view } = setup(cfg, loops);
      const generic = codec.encodeGeneric.bind(codec);
      for (const k of randomRun(cfg, choices).states) {
        copyKernel(k, view);
        const want = outcome(generic, view.w, codec.words);
        expect(Array.isArray(want), 'a reachable state encodes').toBe(true);
        expect(outcome(codec.encode, view.w, codec.words)).toEqual(want);
      }
    },
  );

  const edits = fc.array(
    fc.record({
      at: fc.nat(),
      // Small values, values about the size of the numbering tables (content values, anon_vmas), any.
      value: fc.oneof(
        fc.integer({ min: -2, max: 9 }),
        fc.integer({ min: 10, max: 60 }),
        fc.integer(),
        fc.constantFrom(2 ** 31 - 1, -(2 ** 31)),
      ),
    }),
    { minLength: 1, maxLength: 6 },
  );
  test.prop([configs, fc.array(fc.nat(), { maxLength: 20 }), edits, fc.boolean()], { numRuns: 150 })(
    'states with fields overwritten: the same words, or the same refusal',
    (cfg, choices, changes, loops) => {
      const { codec, view } = setup(cfg, loops);
      const generic = codec.encodeGeneric.bind(codec);
      const states = randomRun(cfg, choices).states;
      copyKernel(states.at(-1) as Kernel, view);
      const w = view.w;
      for (const { at, value } of changes) w[at % w.length] = value;
      expect(outcome(codec.encode, w, codec.words)).toEqual(outcome(generic, w, codec.words));
    },
  );

  test('a name one past its numbering table (content value, anon_vma, folio slot, swap slot): both refuse it', () => {
    const cfg = config({ mms: 2, va: 4, pt: 4, large: 4, slots: 4, pins: 1, swap: 2, data: true, ops: [...OP_NAMES] });
    const { codec, view } = setup(cfg);
    const lay = view.lay;
    const { values, anonVmas, valueBits, anonVmaBits, slotBits, swapBits } = codec.plan();
    copyKernel(randomRun(cfg, []).states[0] as Kernel, view);
    const pte = lay.pte(0, 2);
    const cases: [number, number, object, number?][] = [
      [lay.expect(0, 1), values, { field: 'content value', value: values, bits: valueBits }],
      [lay.vm(0, 1) + VM_AT.anon_vma, anonVmas, { field: 'vm.anon_vma', value: anonVmas, bits: anonVmaBits }],
      [pte + PTE_AT.folio, cfg.slots, { field: 'folio slot', value: cfg.slots, bits: slotBits }, PTE_AT.present],
      [pte + PTE_AT.swap, cfg.swap, { field: 'swap slot', value: cfg.swap, bits: swapBits }, PTE_AT.swp],
    ];
    const initial = view.w.slice();
    for (const [at, value, refusal, kind] of cases) {
      view.w.set(initial);
      if (kind !== undefined) view.w[pte + kind] = 1;
      view.w[at] = value - 1;
      expect(Array.isArray(outcome(codec.encode, view.w, codec.words)), 'the last name of the table').toBe(true);
      view.w[at] = value;
      expect(outcome(codec.encode, view.w, codec.words)).toEqual(refusal);
      expect(outcome(codec.encodeGeneric.bind(codec), view.w, codec.words)).toEqual(refusal);
    }
  });
});

/** Where each field the configuration gives no bits (its `when` false) sits in a plain state, one per record. */
function* unencoded(cfg: Config, r: RecordSpec, obj: Obj): Generator<Unencoded> {
  for (const f of r.fields) {
    if (f.code !== 'derived' && f.when !== undefined && !f.when(cfg)) yield { owner: obj, name: f.name, type: f.type };
  }
  for (const a of r.arrays) {
    if (typeof a.of === 'string' || (a.when !== undefined && !a.when(cfg))) continue;
    const items = obj[a.name] as Obj[];
    for (const item of items) yield* unencoded(cfg, a.of, item);
  }
}
type Obj = Record<string, unknown>;
interface Unencoded {
  readonly owner: Obj;
  readonly name: string;
  readonly type: string;
}

describe('a field without bits in the encoding', () => {
  test.prop([configs, fc.array(fc.nat(), { maxLength: 20 }), fc.boolean()], { numRuns: 60 })(
    'set, leaves the words as they were or is refused by both encoders (never written over a neighbour)',
    (cfg, choices, loops) => {
      const { codec, view } = setup(cfg, loops);
      const generic = codec.encodeGeneric.bind(codec);
      const k = randomRun(cfg, choices).states.at(-1) as Kernel;
      copyKernel(k, view);
      const before = outcome(codec.encode, view.w, codec.words);
      for (const u of unencoded(cfg, KERNEL, k as unknown as Obj)) {
        const was = u.owner[u.name];
        u.owner[u.name] = u.type === 'bool' ? true : 1;
        copyKernel(k, view);
        u.owner[u.name] = was;
        const [compiled, reference] = [
          outcome(codec.encode, view.w, codec.words),
          outcome(generic, view.w, codec.words),
        ];
        expect(compiled).toEqual(reference);
        if (Array.isArray(compiled)) expect(compiled, u.name).toEqual(before);
      }
    },
  );
});

describe('the compiled decoder writes what the generic one writes', () => {
  /** Both decoders' working states from `src[at..]`, each into a buffer left dirty by another state. */
  function decoded(codec: Codec, view: KernelView, src: Uint32Array, at: number): [number[], number[]] {
    const a = new Int32Array(view.w.length).fill(-7);
    const b = new Int32Array(view.w.length).fill(-7);
    codec.decode(src, at, a);
    codec.decodeGeneric(src, at, b);
    return [[...a], [...b]];
  }

  test.prop([configs, fc.array(fc.nat(), { maxLength: 30 })], { numRuns: 60 })(
    'every encoding of a random run of a random configuration',
    (cfg, choices) => {
      const { codec, view } = setup(cfg);
      const enc = new Uint32Array(codec.words + 1);
      for (const k of randomRun(cfg, choices).states) {
        copyKernel(k, view);
        codec.encode(view.w, enc, 1);
        const [compiled, generic] = decoded(codec, view, enc, 1);
        expect(compiled).toEqual(generic);
      }
    },
  );

  test.prop([configs, fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 40 })], {
    numRuns: 150,
  })('arbitrary words', (cfg, words) => {
    const { codec, view } = setup(cfg);
    const src = Uint32Array.from({ length: codec.words + 2 }, (_, i) => words[i % words.length] as number);
    const [compiled, generic] = decoded(codec, view, src, 1);
    expect(compiled).toEqual(generic);
  });
});
