/**
 * Every invariant, in the order they are checked and reported (bench-core's order).
 */
import type { Config } from '../config.js';
import type { Folio, Kernel } from '../include/mm_types.js';
import { type SchemeSlot, schemeSlots } from '../mapcount/index.js';
import anonExclusiveMappedOnce from './anonExclusiveMappedOnce.js';
import dataIsolation from './dataIsolation.js';
import { defineInvariant, type Invariant } from './defineInvariant.js';
import mapcountMatchesPageTables from './mapcountMatchesPageTables.js';
import nothingFreedIsUsedNothingLeaks from './nothingFreedIsUsedNothingLeaks.js';
import pinSeesOwnersPage from './pinSeesOwnersPage.js';
import ptesMapAllocatedPages from './ptesMapAllocatedPages.js';
import refcountIsMappingsPlusPins from './refcountIsMappingsPlusPins.js';
import writableOnlyInWritableVma from './writableOnlyInWritableVma.js';
import writablePteIsExclusive from './writablePteIsExclusive.js';

export type { Invariant } from './defineInvariant.js';

export const INVARIANTS: readonly Invariant[] = [
  ptesMapAllocatedPages,
  mapcountMatchesPageTables,
  refcountIsMappingsPlusPins,
  anonExclusiveMappedOnce,
  writablePteIsExclusive,
  pinSeesOwnersPage,
  dataIsolation,
  nothingFreedIsUsedNothingLeaks,
  writableOnlyInWritableVma,
];

/** The invariants that apply to a configuration: the kernel's, with one per selected mapcount scheme. */
export function invariantsFor(cfg: Config): Invariant[] {
  const applies = INVARIANTS.filter((inv) => inv.appliesTo === undefined || inv.appliesTo(cfg));
  const at = applies.findIndex((inv) => inv.name === 'pinSeesOwnersPage') + 1;
  return [...applies.slice(0, at), ...schemeSlots(cfg).map(schemeInvariant), ...applies.slice(at)];
}

/** A scheme's words agree with the page tables, on every folio the scheme keeps words for. */
function schemeInvariant({ scheme, o }: SchemeSlot): Invariant {
  const applies = (folio: Folio): boolean => scheme.smallFolios || folio.nr_pages > 1;
  const words = scheme.words.length;
  return defineInvariant({
    name: scheme.invariant,
    property: 'desync',
    description: `${scheme.name}: ${scheme.summary}; its counters equal the page-table recount (§3, I9, I10).`,
    holds: (k, t) => {
      for (let u = 0; u < t.nrUsed; u++) {
        const s = t.used[u] as number;
        if (applies(k.folio[s] as Folio) && !scheme.holds(k, t, s, o)) return false;
      }
      return freedWithCount(k, o, words) < 0;
    },
    explain: (k, t) => {
      const out: string[] = [];
      for (let u = 0; u < t.nrUsed; u++) {
        const s = t.used[u] as number;
        if (applies(k.folio[s] as Folio) && !scheme.holds(k, t, s, o)) out.push(...scheme.explain(k, t, s, o));
      }
      const s = freedWithCount(k, o, words);
      if (s >= 0) {
        const folio = k.folio[s] as Folio;
        const bad = scheme.words.map((w, i) => `${w.name} ${folio.mc[o + i]}`).join(', ');
        out.push(`folio ${s} was freed with ${bad} (the free path checks the kernel's own counters so: bad_page())`);
      }
      return out;
    },
  });
}

/**
 * The first free folio whose words `o..o+words-1` are not back at zero, or -1: the free path leaves a lost
 * count in place (page_alloc.ts free_folio()), and this is the check bad_page() makes on the kernel's own.
 */
function freedWithCount(k: Kernel, o: number, words: number): number {
  const folios = k.folio;
  for (let s = 0; s < folios.length; s++) {
    const folio = folios[s] as Folio;
    if (folio.used) continue;
    for (let i = o; i < o + words; i++) if (folio.mc[i] !== 0) return s;
  }
  return -1;
}
