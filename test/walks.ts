/**
 * Fixed walks of the whole model whose states, between them, give every field of the state a value the
 * encoder reads: some start with a huge PMD, which few random walks reach, and one with a folio that two
 * mms map from the swapcache (a swap entry shared at fork, swapped in by one of them). Fixed, so that a
 * check over every field does not depend on the luck of a random run.
 */
import { enumerateActions } from '../src/model/actions.js';
import type { Config } from '../src/model/config.js';
import type { Kernel } from '../src/model/include/mm_types.js';
import { SCHEME_NAMES } from '../src/model/mapcount/index.js';
import { OP_NAMES } from '../src/model/steps/index.js';
import { config, fork, randomRun, read, reclaim, write } from './helpers.js';

/** The whole model: every step, swap slots, contents, pins, every scheme's words. */
export const wholeModel = (era: '5.19' | '6.15', over: Parameters<typeof config>[0] = {}): Config =>
  config({
    mms: 2,
    va: 8,
    pt: 4,
    large: 2,
    slots: 6,
    pins: 2,
    map: 6,
    swap: 2,
    data: true,
    ops: [...OP_NAMES],
    era,
    schemes: [...SCHEME_NAMES],
    ...over,
  });

/** Choices of `randomRun`, spread over the action list by a linear congruence. */
export const walk = (seed: number, length: number): number[] =>
  Array.from({ length }, (_, i) => ((seed * 1103515245 + i * 12345) >>> 7) % 1000);

/**
 * The states of five fixed walks of `cfg`: two start with a huge PMD where thp is enabled, one with the
 * swapcache prefix where write, fork, reclaim and read are (the callers check what the walks covered).
 */
export function fixedWalkStates(cfg: Config): Kernel[] {
  const actions = enumerateActions(cfg);
  const thp = actions.findIndex((a) => a.kind === 'thp');
  const at = (a: object): number => actions.findIndex((b) => JSON.stringify(b) === JSON.stringify(a));
  const swapcache = [write(0, 0), fork(0), reclaim(0, 0, 1), read(1, 0)].map(at);
  const prefix = (seed: number): number[] => {
    if (seed === 5) return swapcache.includes(-1) ? [] : swapcache;
    return seed % 2 === 0 && thp !== -1 ? [thp] : [];
  };
  const states: Kernel[] = [];
  for (let seed = 1; seed <= 5; seed++) states.push(...randomRun(cfg, [...prefix(seed), ...walk(seed, 25)]).states);
  return states;
}
