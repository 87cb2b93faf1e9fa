/**
 * The mapcount schemes, and the two calls the rmap functions make to keep every selected one up to date.
 *
 * Adding a scheme: write one file beside these exporting a `defineScheme({...})`, and add it to `registry`;
 * or, outside the repository, `--scheme ./my-scheme.js` (src/schemeFile.ts, docs/schemes.md).
 * The CLI (`--scheme`), the state encoding, the trace printer, the invariants and the matrix take it from
 * here (README, "Adding a mapcount scheme").
 */
import type { Config } from '../config.js';
import type { Folio, Kernel } from '../state/schema.js';
import largeMapcount from './large-mapcount.js';
import mmId from './mm-id.js';
import pageMapcount from './page-mapcount.js';
import type { MapcountScheme, RmapCall, RmapLevel } from './scheme.js';
import totalMappedPages from './total-mapped-pages.js';
import tupleNaive from './tuple-naive.js';
import tupleScan from './tuple-scan.js';

export type { MapcountScheme, RmapCall, RmapLevel, SchemeStats, SchemeWord } from './scheme.js';

const registry: MapcountScheme[] = [pageMapcount, tupleNaive, tupleScan, largeMapcount, mmId, totalMappedPages];
const names: string[] = registry.map((s) => s.name);
/** Every scheme: the project's, then those loaded from files (`registerScheme`), in order of loading. */
export const SCHEMES: readonly MapcountScheme[] = registry;
export const SCHEME_NAMES: readonly string[] = names;
/** Where each scheme loaded from a file came from (a file URL), by name. */
const sources = new Map<string, string>();

/**
 * Adds a scheme loaded from a file (src/schemeFile.ts, which validates it first): from then on it is a
 * scheme like the project's, by name, for every configuration made in this thread.
 */
export function registerScheme(scheme: MapcountScheme, source: string): void {
  registry.push(scheme);
  names.push(scheme.name);
  sources.set(scheme.name, source);
}

/** The file a scheme was loaded from, or undefined for the project's own. */
export function schemeSource(name: string): string | undefined {
  return sources.get(name);
}

/** A configuration named a scheme that is not in `SCHEMES`. */
export class UnknownScheme extends Error {
  readonly field = 'schemes';
  constructor(name: string) {
    super(`schemes: expected a list of ${SCHEME_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
    this.name = 'UnknownScheme';
  }
}

interface SchemeLayout {
  readonly slots: readonly SchemeSlot[];
  readonly words: number;
  readonly mmId: SchemeSlot | undefined;
}
const layouts = new WeakMap<Config, SchemeLayout>();

function layoutOf(cfg: Config): SchemeLayout {
  let layout = layouts.get(cfg);
  if (layout !== undefined) return layout;
  const slots: SchemeSlot[] = [];
  let words = 0;
  for (const name of cfg.schemes) if (schemeByName(name) === undefined) throw new UnknownScheme(name);
  // Registry order, whatever order they were named in: one configuration, one layout.
  for (const scheme of SCHEMES) {
    if (!cfg.schemes.includes(scheme.name)) continue;
    slots.push({ scheme, o: words });
    words += scheme.words.length;
  }
  layout = { slots, words, mmId: slots.find((s) => s.scheme.name === 'mm-id') };
  layouts.set(cfg, layout);
  return layout;
}

/** The selected schemes with the offset of their words in `folio.mc`; throws UnknownScheme. */
export function schemeSlots(cfg: Config): readonly SchemeSlot[] {
  return layoutOf(cfg).slots;
}

/**
 * The MM-ID owner tracking the 6.15 kernel keeps (the era always selects it), for its COW reuse decision:
 * the scheme's queries and where its words are.
 */
export function kernelMmId(cfg: Config): SchemeSlot {
  const slot = layoutOf(cfg).mmId;
  if (slot === undefined) throw new Error('the 6.15 era keeps the mm-id scheme; this configuration has none');
  return slot;
}

export function schemeByName(name: string): MapcountScheme | undefined {
  return SCHEMES.find((s) => s.name === name);
}

/** A selected scheme and where its words start in `folio.mc`. */
export interface SchemeSlot {
  readonly scheme: MapcountScheme;
  readonly o: number;
}

const call: RmapCall = { m: 0, addr: 0, first: 0, nr: 0, level: 'pte' };

function fill(m: number, addr: number, first: number, nr: number, level: RmapLevel): RmapCall {
  call.m = m;
  call.addr = addr;
  call.first = first;
  call.nr = nr;
  call.level = level;
  return call;
}

/** Runs one hook of every selected scheme that keeps words for this folio. */
function each(k: Kernel, folio: Folio, c: RmapCall, added: boolean): void {
  for (const { scheme, o } of schemeSlots(k.cfg)) {
    if (!scheme.smallFolios && folio.nr_pages <= 1) continue;
    if (added) scheme.add(k, folio, o, c);
    else scheme.remove(k, folio, o, c);
  }
}

/**
 * The rmap functions call this after adding `nr` PTE mappings of pages first.. by mm `m` at addr.. (or one
 * PMD mapping, `pmd`): every selected scheme updates its words.
 */
export function mapcountAdd(
  k: Kernel,
  folio: Folio,
  m: number,
  addr: number,
  first: number,
  nr: number,
  level: RmapLevel,
): void {
  if (k.cfg.schemes.length > 0) each(k, folio, fill(m, addr, first, nr, level), true);
}

/** The mirror of `mapcountAdd`, called after the mappings were removed. */
export function mapcountRemove(
  k: Kernel,
  folio: Folio,
  m: number,
  addr: number,
  first: number,
  nr: number,
  level: RmapLevel,
): void {
  if (k.cfg.schemes.length > 0) each(k, folio, fill(m, addr, first, nr, level), false);
}
