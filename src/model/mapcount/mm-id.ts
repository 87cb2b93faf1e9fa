/**
 * mm-id - MM owner tracking of large folios: two owner slots and the maybe-mapped-shared bit (6.15+).
 *
 * Models:   include/linux/rmap.h folio_set_large_mapcount(), folio_add_return_large_mapcount(),
 *           folio_sub_return_large_mapcount() and include/linux/mm.h folio_maybe_mapped_shared()
 *           (6af8cb80d3a9, 003fde4492c8; docs/kernel-rules.md §3.4). The mm id of mm `m` is m + 1 (0 is
 *           MM_ID_DUMMY, a free slot); ids are recycled with the mm, as mm_alloc_id() does.
 * Rule:     the property is one-sided: the bit clear must imply that at most one mm maps the folio. The
 *           bit set while one mm maps it (a false "maybe shared": a COW that copies needlessly) is not a
 *           violation; `observe` counts how often it happens, the scheme's imprecision.
 * Deviates: the bit spinlock is not modelled (every update is one step); 32-bit slot overflow is not modelled.
 */

import type { Truth } from '../recount/truth.js';
import type { Folio, Kernel } from '../state/schema.js';
import { defineScheme, type SchemeWord } from './scheme.js';

const maps = (cfg: { mms: number; folioPages: number }) => cfg.mms * (cfg.folioPages + 1);
const WORDS: SchemeWord[] = [
  { name: '_large_mapcount', min: () => 0, max: maps },
  { name: '_mm_id[0]', min: () => 0, max: (cfg) => cfg.mms, mmId: true },
  { name: '_mm_id_mapcount[0]', min: () => 0, max: maps },
  { name: '_mm_id[1]', min: () => 0, max: (cfg) => cfg.mms, mmId: true },
  { name: '_mm_id_mapcount[1]', min: () => 0, max: maps },
  { name: 'maybe_mapped_shared', min: () => 0, max: () => 1 },
];
const M = 0;
const ID0 = 1;
const C0 = 2;
const ID1 = 3;
const C1 = 4;
const S = 5;
/** The two owner slots: (id word, count word). */
const SLOTS = [
  [ID0, C0],
  [ID1, C1],
] as const;

/**
 * folio_maybe_mapped_shared() of a large folio whose words start at `o`: false when mapped at most once,
 * else the shared bit. The 6.15 COW reuse of a large folio asks this (mm/memory.c
 * __wp_can_reuse_large_anon_folio()).
 */
export function mm_id_maybe_mapped_shared(folio: Folio, o: number): boolean {
  if ((folio.mc[o + M] as number) <= 1) return false;
  return folio.mc[o + S] !== 0;
}

/** folio_large_mapcount() as the MM-ID words hold it. */
export function mm_id_large_mapcount(folio: Folio, o: number): number {
  return folio.mc[o + M] as number;
}

function sound(k: Kernel, t: Truth, slot: number, o: number): boolean {
  const w = (k.folio[slot] as Folio).mc;
  return !(w[o + S] === 0 && t.mmsMapping(slot) > 1);
}

function sane(k: Kernel, t: Truth, slot: number, o: number): boolean {
  const w = (k.folio[slot] as Folio).mc;
  const m = w[o + M] as number;
  if (m !== t.folioMaps(slot)) return false;
  if (m === 0 && w[o + S] !== 0) return false;
  for (const [id, c] of SLOTS) {
    const mmId = w[o + id] as number;
    const count = w[o + c] as number;
    if ((mmId === 0) !== (count === 0)) return false;
    if (mmId !== 0 && count > t.mmMaps(slot, mmId - 1)) return false;
  }
  return !(w[o + ID0] !== 0 && w[o + ID0] === w[o + ID1]);
}

export default defineScheme({
  name: 'mm-id',
  summary: 'two MM owner slots and the maybe-mapped-shared bit of a large folio (6.15)',
  invariant: 'mmIdSharedBitIsSound',
  smallFolios: false,
  words: WORDS,
  add(_k, folio, o, c) {
    const w = folio.mc;
    const d = c.level === 'pmd' ? 1 : c.nr;
    const id = c.m + 1;
    const after = (w[o + M] as number) + d;
    w[o + M] = after;
    if (w[o + ID0] === id) w[o + C0] = (w[o + C0] as number) + d;
    else if (w[o + ID1] === id) w[o + C1] = (w[o + C1] as number) + d;
    else if (w[o + ID0] === 0) {
      w[o + ID0] = id;
      w[o + C0] = d;
      if (after !== d) w[o + S] = 1;
    } else if (w[o + ID1] === 0) {
      w[o + ID1] = id;
      w[o + C1] = d;
      w[o + S] = 1;
    }
    // Both slots held by other mms: this mm's mappings go untracked; the bit is already set.
  },
  remove(_k, folio, o, c) {
    const w = folio.mc;
    const d = c.level === 'pmd' ? 1 : c.nr;
    const id = c.m + 1;
    const after = (w[o + M] as number) - d;
    w[o + M] = after;
    for (const [slotId, count] of SLOTS) {
      if (w[o + slotId] !== id) continue;
      const left = (w[o + count] as number) - d;
      if (left >= 1) {
        w[o + count] = left;
        return;
      }
      // Zero, or below: some of this mm's mappings were added while it held no slot. Free the slot.
      w[o + slotId] = 0;
      w[o + count] = 0;
      break;
    }
    if (w[o + C0] === after || w[o + C1] === after) w[o + S] = 0;
  },
  folio_mapcount: mm_id_large_mapcount,
  folio_maybe_mapped_shared: mm_id_maybe_mapped_shared,
  counts: 'mappings',
  // The CONFIG_NO_PAGE_MAPCOUNT test of __folio_remove_rmap() (6.15): fewer mappings than pages and no
  // PMD. It misses a folio whose remaining mappings are as many as its pages (two mms, half each).
  folio_partially_mapped: (folio, o) => {
    const n = folio.mc[o] as number;
    return n > 0 && n < folio.nr_pages && folio._entire_mapcount === 0;
  },
  holds: (k, t, slot, o) => sound(k, t, slot, o) && sane(k, t, slot, o),
  explain(k, t, slot, o) {
    const w = (k.folio[slot] as Folio).mc;
    const words = `_large_mapcount ${w[o + M]}, slots (${w[o + ID0]}, ${w[o + C0]}) (${w[o + ID1]}, ${w[o + C1]}), shared bit ${w[o + S]}`;
    const out = [`folio ${slot}: ${words}`];
    if (!sound(k, t, slot, o)) {
      out.push(`folio ${slot}: the shared bit is clear, but ${t.mmsMapping(slot)} mms map it`);
    }
    if ((w[o + M] as number) !== t.folioMaps(slot)) {
      out.push(`folio ${slot}: _large_mapcount ${w[o + M]}, but ${t.folioMaps(slot)} PTEs and PMDs map it`);
    }
    if (w[o + M] === 0 && w[o + S] !== 0) out.push(`folio ${slot}: the shared bit is set, but nothing maps it`);
    SLOTS.forEach(([id, c], i) => {
      const mmId = w[o + id] as number;
      const count = w[o + c] as number;
      if (mmId === 0 && count !== 0) out.push(`folio ${slot}: owner slot ${i} holds no mm, but counts ${count}`);
      if (mmId !== 0 && count === 0) out.push(`folio ${slot}: owner slot ${i} holds mm${mmId - 1}, but counts nothing`);
      if (mmId !== 0 && count > t.mmMaps(slot, mmId - 1)) {
        out.push(
          `folio ${slot}: mm${mmId - 1}'s slot counts ${count}, but it maps the folio ${t.mmMaps(slot, mmId - 1)} times`,
        );
      }
    });
    if (w[o + ID0] !== 0 && w[o + ID0] === w[o + ID1]) {
      out.push(`folio ${slot}: mm${(w[o + ID0] as number) - 1} holds both owner slots`);
    }
    return out;
  },
  observe(k, t, slot, o, stats) {
    const w = (k.folio[slot] as Folio).mc;
    if ((w[o + M] as number) <= 1 || t.mmsMapping(slot) > 1) return;
    // Mapped more than once, by one mm: the question folio_maybe_mapped_shared() must answer "no" to.
    stats.counts.set('exclusive', (stats.counts.get('exclusive') ?? 0) + 1);
    if (w[o + S] !== 0) stats.counts.set('falselyShared', (stats.counts.get('falselyShared') ?? 0) + 1);
  },
  figure(stats) {
    const all = stats.counts.get('exclusive') ?? 0;
    const bad = stats.counts.get('falselyShared') ?? 0;
    return `${bad.toLocaleString('en-US')}/${all.toLocaleString('en-US')}`;
  },
  report(stats) {
    const all = stats.counts.get('exclusive') ?? 0;
    const bad = stats.counts.get('falselyShared') ?? 0;
    const pct = all === 0 ? 0 : (100 * bad) / all;
    return [
      `imprecision: ${bad.toLocaleString('en-US')} of ${all.toLocaleString('en-US')} (state, large folio) ` +
        `pairs mapped more than once by one mm say "maybe shared" (${pct.toFixed(1)}%)`,
    ];
  },
});
