/**
 * Every invariant, in the order they are checked and reported (bench-core's order).
 */
import type { Config } from '../config.js';
import anonExclusiveMappedOnce from './anonExclusiveMappedOnce.js';
import dataIsolation from './dataIsolation.js';
import type { Invariant } from './defineInvariant.js';
import mapcountMatchesPageTables from './mapcountMatchesPageTables.js';
import nothingFreedIsUsedNothingLeaks from './nothingFreedIsUsedNothingLeaks.js';
import pinSeesOwnersPage from './pinSeesOwnersPage.js';
import ptesMapAllocatedPages from './ptesMapAllocatedPages.js';
import refcountIsMappingsPlusPins from './refcountIsMappingsPlusPins.js';
import tupleCountMatchesPageTables from './tupleCountMatchesPageTables.js';
import writableOnlyInWritableVma from './writableOnlyInWritableVma.js';
import writablePteIsExclusive from './writablePteIsExclusive.js';

export type { Invariant } from './defineInvariant.js';
export { Truth } from './truth.js';

export const INVARIANTS: readonly Invariant[] = [
  ptesMapAllocatedPages,
  mapcountMatchesPageTables,
  refcountIsMappingsPlusPins,
  anonExclusiveMappedOnce,
  writablePteIsExclusive,
  pinSeesOwnersPage,
  tupleCountMatchesPageTables,
  dataIsolation,
  nothingFreedIsUsedNothingLeaks,
  writableOnlyInWritableVma,
];

/** The invariants that apply to a configuration. */
export function invariantsFor(cfg: Config): Invariant[] {
  return INVARIANTS.filter((inv) => inv.appliesTo === undefined || inv.appliesTo(cfg));
}
