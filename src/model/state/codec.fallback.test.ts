/**
 * Where the platform forbids generating code (node --disallow-code-generation-from-strings, a CSP), compiling
 * the codec's encoder or decoder throws EvalError: the codec falls back to the generic functions, which
 * encode and decode alike. Any other error from compiling is a bug in the generated source and is thrown.
 * (`Function` is stubbed: vitest's own workers need code generation.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { config, randomRun } from '../../../test/helpers.js';
import { Codec } from './codec.js';
import type { CodecPlan } from './codecPlan.js';
import { compileDecoder, decoderSource } from './decoder.js';
import { compileEncoder, encoderSource } from './encoder.js';
import { copyKernel } from './plain.js';
import { KernelView, Layout } from './views.js';

function refuseCodeGeneration(error: Error): void {
  vi.stubGlobal(
    'Function',
    class {
      constructor() {
        throw error;
      }
    },
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const cfg = config({ ops: ['fault', 'zap', 'fork', 'wp', 'pin', 'unpin'] });
const overflow = (): never => {
  throw new Error('overflow');
};
const plan = (): CodecPlan => new Codec(cfg, new Layout(cfg)).plan();

describe('compiling the codec', () => {
  it('gives undefined where code generation is refused, and the codec uses its generic functions', () => {
    const p = plan();
    const lay = new Layout(cfg);
    const compiled = new Codec(cfg, lay);
    refuseCodeGeneration(new EvalError('Code generation from strings disallowed for this context'));
    expect(compileDecoder(p)).toBeUndefined();
    expect(compileEncoder(p, new Int8Array(8), overflow)).toBeUndefined();
    const generic = new Codec(cfg, lay);
    vi.unstubAllGlobals();
    expect(generic.encode.name).toBe('bound encodeGeneric');
    expect(generic.decode.name).toBe('bound decodeGeneric');
    expect(compiled.encode.name).not.toBe('bound encodeGeneric');

    // The fallback encodes as the compiled codec does, and decodes back to the same state.
    const view = new KernelView(cfg, lay);
    const states = randomRun(cfg, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]).states;
    copyKernel(states[states.length - 1] as (typeof states)[number], view);
    const w = view.w;
    const a = new Uint32Array(compiled.words);
    const b = new Uint32Array(compiled.words);
    compiled.encode(w, a, 0);
    generic.encode(w, b, 0);
    expect([...b]).toEqual([...a]);
    const back = new Int32Array(w.length).fill(-1);
    generic.decode(b, 0, back);
    expect([...back]).toEqual([...w]);
  });

  it('throws any other error from compiling', () => {
    const p = plan();
    refuseCodeGeneration(new SyntaxError('Unexpected token'));
    expect(() => compileDecoder(p)).toThrow(SyntaxError);
    expect(() => compileEncoder(p, new Int8Array(8), overflow)).toThrow(SyntaxError);
  });

  it('names a field the plan lacks', () => {
    const p = plan();
    const { pin: _, ...at } = p.at;
    expect(() => decoderSource({ ...p, at })).toThrow('decoder: no field pin.live');
    expect(() => encoderSource({ ...p, at })).toThrow('encoder: no field pin.');
  });
});
