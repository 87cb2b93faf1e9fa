/**
 * Every invariant, in the order they are checked and reported (bench-core's order).
 */
import type { Config } from '../config.js';
import type { Folio } from '../include/mm_types.js';
import { type SchemeSlot, schemeSlots } from '../mapcount/index.js';
import anonExclusiveMappedOnce from './anonExclusiveMappedOnce.js';
import dataIsolation from './dataIsolation.js';
import { defineInvariant, type Invariant } from './defineInvariant.js';
import mapcountMatchesPageTables from './mapcountMatchesPageTables.js';
import nothingFreedIsUsedNothingLeaks from './nothingFreedIsUsedNothingLeaks.js';
import partiallyMappedIsQueued from './partiallyMappedIsQueued.js';
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
  partiallyMappedIsQueued,
];

/** The invariants that apply to a configuration: the kernel's, with one per selected mapcount scheme. */
export function invariantsFor(cfg: Config): Invariant[] {
  const applies = INVARIANTS.filter((inv) => inv.appliesTo === undefined || inv.appliesTo(cfg));
  const at = applies.findIndex((inv) => inv.name === 'pinSeesOwnersPage') + 1;
  return [
    ...applies.slice(0, at),
    ...schemeSlots(cfg).map((slot, i) => schemeInvariant(slot, i)),
    ...applies.slice(at),
  ];
}

/**
 * A scheme's words agree with the page tables, on every folio the scheme keeps words for, and were all
 * zero on every folio freed so far (bit `bit` of the bad_page() taint, page_alloc.ts).
 */
function schemeInvariant({ scheme, o }: SchemeSlot, bit: number): Invariant {
  const applies = (folio: Folio): boolean => scheme.smallFolios || folio.nr_pages > 1;
  return defineInvariant({
    name: scheme.invariant,
    property: 'desync',
    description: `${scheme.name}: ${scheme.summary}; its counters equal the page-table recount, and are zero when a folio is freed (§3, I9, I10).`,
    holds: (k, t) => {
      if ((k.bad_page >> bit) & 1) return false;
      for (let u = 0; u < t.nrUsed; u++) {
        const s = t.used[u] as number;
        if (applies(k.folio[s] as Folio) && !scheme.holds(k, t, s, o)) return false;
      }
      return true;
    },
    explain: (k, t) => {
      const out: string[] = [];
      if ((k.bad_page >> bit) & 1) out.push(`bad_page(): a folio was freed while ${scheme.name}'s words were not zero`);
      for (let u = 0; u < t.nrUsed; u++) {
        const s = t.used[u] as number;
        if (applies(k.folio[s] as Folio) && !scheme.holds(k, t, s, o)) out.push(...scheme.explain(k, t, s, o));
      }
      return out;
    },
  });
}
