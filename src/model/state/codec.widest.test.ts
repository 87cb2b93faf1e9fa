/**
 * The encoding's size (`Codec.words`) is the widest state's: a state in which every record is in its
 * widest form (every mm live, every VMA mapped, every PMD huge, every PTE of its widest kind, every pin live,
 * as many folios as can be referenced, each of the largest size, every swap slot used and in the swapcache)
 * and every field holds its largest value fits, and reaches the last word: its bit length (the generic
 * encoder's count) needs exactly `words` words. Too few words and the widest state is refused as `state`;
 * too many and its bits end before the last word. (Whether the last word is nonzero says less: its bits may
 * be the high bits of a canonical number, zero when the numbers are small.) Its encoding, every field at
 * its largest, decodes alike in both decoders and re-encodes to the same words.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { codecConfigs, outcome } from '../../../test/encoders.js';
import type { Config } from '../config.js';
import { Codec } from './codec.js';
import type { CodecPlan } from './codecPlan.js';
import { Layout } from './views.js';

const ones = (bits: number): number => (bits >= 31 ? 0x7fffffff : (1 << bits) - 1);

/** The widest state of `p` (see the head of this file), in a working-state buffer of `lay`. */
function widest(cfg: Config, lay: Layout, p: CodecPlan): Int32Array {
  const w = new Int32Array(lay.words);
  const at = p.at as Record<string, Record<string, number>>;
  const set = (record: string, base: number, fields: Record<string, number>): void => {
    for (const [name, v] of Object.entries(fields)) w[base + (at[record]?.[name] as number)] = v;
  };
  const pages = cfg.folioPages;
  // Every folio slot referenced is below `folios`, every content value distinct and nonzero.
  const folios = Math.min(cfg.slots, cfg.mms * cfg.va + cfg.pins + cfg.swap);
  let ref = 0;
  const nextFolio = (): number => ref++ % folios;
  let value = 0;
  const nextValue = (): number => (p.data ? ++value : 0);
  const presentWider = p.slotBits + p.pageBits >= p.swapBits;
  for (let m = 0; m < cfg.mms; m++) {
    set('mm', lay.mm(m), { live: 1 });
    for (let a = 0; a < cfg.va; a++) {
      if (p.trackVm) {
        const vm = { mapped: 1, write: 1, dontcopy: 1, account: 1, fork_child: 1, pgoff: ones(p.pgoffBits) };
        set('vm', lay.vm(m, a), { ...vm, anon_vma: m * cfg.va + a + 1 });
      }
      if (presentWider || cfg.swap === 0) {
        set('pte', lay.pte(m, a), { present: 1, write: 1, folio: nextFolio(), page: ones(p.pageBits) });
      } else set('pte', lay.pte(m, a), { swp: 1, swp_exclusive: 1, swap: a % cfg.swap });
      if (p.data) w[lay.expect(m, a)] = nextValue();
    }
    if (p.hasPmd) for (let t = 0; t < cfg.nrPt; t++) set('pmd', lay.pmd(m, t), { huge: 1, write: 1, folio: 0 });
  }
  for (let k = 0; k < cfg.pins; k++) {
    const pin = { live: 1, attached: 1, write: 1, get: p.pinFlagBits > 3 ? 1 : 0, folio: nextFolio() };
    set('pin', lay.pin(k), { ...pin, mm: ones(p.pinMmBits), addr: ones(p.pinAddrBits), page: ones(p.pinPageBits) });
    if (p.data) set('pin', lay.pin(k), { expect: nextValue() });
  }
  for (let i = 0; i < cfg.swap; i++) {
    set('swap_slot', lay.swap(i), { used: 1, count: ones(p.countBits), cache: 1, folio: nextFolio() });
    if (p.data) set('swap_slot', lay.swap(i), { data: nextValue() });
  }
  for (let s = 0; s < folios; s++) {
    const o = lay.folio(s);
    const head = { used: 1, nr_pages: pages, _refcount: ones(p.refBits), _pincount: ones(p.pinBits) };
    set('folio', o, { ...head, _entire_mapcount: ones(p.entireBits), partially_mapped: p.partialBits });
    p.wordCodes.forEach((c, i) => {
      w[o + p.mcBase + i] = c.min + ones(c.bits);
    });
    for (let j = 0; j < pages; j++) {
      const page = { _mapcount: ones(p.mcBits), anon_exclusive: 1, data: nextValue() };
      set('page', o + p.folioHead + j * p.pageWords, page);
    }
  }
  w[lay.nrFolios] = folios;
  w[lay.badPage] = ones(p.badPageBits);
  return w;
}

const configs = codecConfigs({ ptLog: 4, slots: 40, pins: 3, swap: 5, decider: true });

describe('Codec.words is the widest state’s size', () => {
  test.prop([configs, fc.boolean()], { numRuns: 150 })(
    'the widest state fits both encoders and reaches the last word',
    (cfg, loops) => {
      const lay = new Layout(cfg);
      const codec = new Codec(cfg, lay, loops ? { unrollLimit: 0 } : {});
      const w = widest(cfg, lay, codec.plan());
      const bits = codec.bitLength(w);
      expect(bits, 'the widest state ends in the last word').toBeGreaterThan(32 * (codec.words - 1));
      expect(bits, 'the widest state fits').toBeLessThanOrEqual(32 * codec.words);
      // bitLength refused nothing, so these are words: the compiled encoder's are the generic one's.
      expect(outcome(codec.encode, w, codec.words)).toEqual(outcome(codec.encodeGeneric.bind(codec), w, codec.words));
    },
  );

  test.prop([configs], { numRuns: 100 })('the widest encoding decodes alike in both decoders, and back', (cfg) => {
    const lay = new Layout(cfg);
    const codec = new Codec(cfg, lay);
    const enc = new Uint32Array(codec.words);
    codec.encode(widest(cfg, lay, codec.plan()), enc, 0);
    const [a, b] = [new Int32Array(lay.words).fill(-7), new Int32Array(lay.words).fill(-7)];
    codec.decode(enc, 0, a);
    codec.decodeGeneric(enc, 0, b);
    expect([...a]).toEqual([...b]);
    const again = new Uint32Array(codec.words);
    codec.encodeGeneric(b, again, 0);
    expect([...again]).toEqual([...enc]);
  });
});
