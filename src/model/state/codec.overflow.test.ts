/**
 * A deterministic companion of codec.compiled.test.ts's random laws, for what a random run reaches only by
 * luck: every field the format bounds is refused by both encoders with the same name, value and width when
 * it holds a value past its bits (codec.numbering.test.ts: the numberings' rare shapes).
 */
import { describe, expect, test } from 'vitest';
import { outcome, codecOf as setup } from '../../../test/encoders.js';
import { config } from '../../../test/helpers.js';
import { fixedWalkStates, wholeModel } from '../../../test/walks.js';
import type { Config } from '../config.js';
import { OP_NAMES } from '../steps/index.js';
import { EncodingOverflow } from './codec.js';
import { copyKernel } from './plain.js';
import type { Kernel } from './schema.js';

/**
 * Values past every field's bits: -1 (all bits), 2 and 3 (past a flag; 3 pages is no folio's size) and
 * 2^30 (past every counter and name); and 0, a field cleared (a folio freed under its references).
 */
const EDITS = [-1, 0, 2, 3, 2 ** 30];

/**
 * Sets each word of each state in turn to each of EDITS; expects both encoders to do the same with it;
 * returns the fields they refused.
 */
function refusals(cfg: Config, states: readonly Kernel[], unrollLimit?: number): Set<string> {
  const { codec, view, generic } = setup(cfg, unrollLimit === undefined ? {} : { unrollLimit });
  const fields = new Set<string>();
  const live = new Uint8Array(view.w.length);
  for (const k of states) {
    copyKernel(k, view);
    const w = view.w;
    // Only states with a word set that no earlier one set: a record first live (the sweep takes seconds).
    if (!w.some((x, i) => x !== 0 && live[i] === 0)) continue;
    w.forEach((x, i) => {
      if (x !== 0) live[i] = 1;
    });
    for (let i = 0; i < w.length; i++) {
      const was = w[i] as number;
      for (const v of EDITS) {
        w[i] = v;
        const want = outcome(generic, w, codec.words);
        const got = outcome(codec.encode, w, codec.words);
        // Compared as strings first: expect's deep equality on every one of these edits took most of the time.
        if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, `word ${i} = ${v}`).toEqual(want);
        if (!Array.isArray(want)) fields.add((want as { field: string }).field);
      }
      w[i] = was;
    }
  }
  return fields;
}

/** The fields every configuration with VMAs, PTEs, pins and folios bounds, whatever else it has. */
const COMMON = [
  'mm.live',
  'folio slot',
  'pte.write',
  'pte.page',
  'folio.nr_pages',
  'folio._refcount',
  'folio._pincount',
  'page._mapcount',
  'page.anon_exclusive',
  'pin.attached',
  'pin.write',
  // No bits where FOLL_GET references are not modelled: any value but 0 is refused.
  'pin.get',
  'pin.mm',
  'pin.addr',
  'pin.page',
];
const VMAS = ['vm.write', 'vm.dontcopy', 'vm.account', 'vm.fork_child', 'vm.anon_vma', 'vm.pgoff'];
const SWAP = ['pte.swp_exclusive', 'swap slot', 'swap.count'];
/** The schemes' words, by name (two schemes may keep a word of the same name). */
const words = (cfg: Config): string[] => [...new Set(cfg.folioWords.map((w) => `folio.${w.name}`))];

describe('every field past its bits: both encoders refuse it, naming it alike', () => {
  test('the whole model (VMAs, huge PMDs, swap, contents, FOLL_GET pins, every scheme), written out and as loops', () => {
    const cfg = wholeModel('6.15');
    const states = fixedWalkStates(cfg);
    const want = [...COMMON, ...VMAS, ...SWAP, 'pmd.write', 'folio._entire_mapcount', 'content value'];
    want.push('bad_page', ...words(cfg));
    expect([...refusals(cfg, states)].sort()).toEqual(want.sort());
    expect([...refusals(cfg, states.slice(0, 40), 0)].sort()).toEqual(want.sort());
  });

  test('a scheme deciding for the kernel: PG_partially_mapped is kept, and bounded', () => {
    const cfg = wholeModel('6.15', { decider: 'tuple-naive', schemes: [] });
    const fields = refusals(cfg, fixedWalkStates(cfg));
    expect(fields).toContain('folio.partially_mapped');
    expect([...fields].filter((f) => f.startsWith('folio.') && words(cfg).includes(f))).toEqual(words(cfg));
  });

  test('zero-page PTEs without swap: a swap PTE is refused as such', () => {
    const ops = OP_NAMES.filter((op) => !['reclaim', 'pageout', 'cold'].includes(op));
    const cfg = wholeModel('6.15', { swap: 0, ops, data: false, schemes: [] });
    expect(cfg.specialPtes).toBe(true);
    const fields = refusals(cfg, fixedWalkStates(cfg));
    expect(fields).toContain('pte.swp');
    expect(fields).not.toContain('content value');
  });

  test('bench-core’s shape: a PTE is none or present, and nothing else is encoded', () => {
    const cfg = config({ mms: 2, va: 4, pt: 4, large: 4, slots: 8, pins: 1, tuple: true });
    const states = fixedWalkStates(cfg);
    const want = ['mm.live', 'folio slot', 'pte.write', 'pte.page', 'folio.nr_pages', 'folio._refcount'];
    want.push('folio._pincount', 'page._mapcount', 'page.anon_exclusive', 'pin.attached', 'pin.write', 'pin.get');
    want.push('pin.mm', 'pin.addr', 'pin.page', 'bad_page', ...words(cfg));
    expect([...refusals(cfg, states)].sort()).toEqual(want.sort());
  });
});

describe('EncodingOverflow', () => {
  test('names the field, its value and its width, as the model error a run reports', () => {
    const e = new EncodingOverflow('page._mapcount', 9, 3);
    expect(e.message).toBe('state field page._mapcount = 9 does not fit its 3-bit encoding');
    expect(e.name).toBe('EncodingOverflow');
    expect(String(e)).toBe('EncodingOverflow: state field page._mapcount = 9 does not fit its 3-bit encoding');
  });
});
