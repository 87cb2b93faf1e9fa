/**
 * Building a configuration: the bounds are checked, and what the step and scheme registries say about
 * them (which state the enabled steps need, the selected schemes' per-folio words) is handed to `Config`,
 * which stays a leaf module that everything may import.
 */
import { type BoundsUse, checkBounds } from './bounds.js';
import { type Bounds, BoundsRejected, Config, type FolioWord } from './config.js';
import { schemeSlots } from './mapcount/index.js';
import { parsePolicy } from './policies.js';
import { opsNeed } from './steps/index.js';

/** The selected schemes' words in `folio.mc` order, with their ranges under `cfg`. */
function folioWords(cfg: Config): readonly FolioWord[] {
  return schemeSlots(cfg).flatMap(({ scheme }) =>
    scheme.words.map((w) => ({
      name: w.name,
      scheme: scheme.name,
      ...(w.mmId === true ? { mmId: true } : {}),
      min: w.min(cfg),
      max: w.max(cfg),
    })),
  );
}

/**
 * Validates and freezes bounds; throws a `BoundsRejected` listing every problem. `use` 'replay' (run, kernel)
 * accepts the kernel's geometry beyond the search limits (bounds.ts REPLAY_LIMITS).
 */
export function makeConfig(b: Bounds, use: BoundsUse = 'search'): Config {
  const errors = checkBounds(b, use);
  if (errors.length > 0) throw new BoundsRejected(errors);
  return new Config(withPolicy(b), {
    hugePmds: opsNeed(b.ops, 'hugePmds'),
    specialPtes: opsNeed(b.ops, 'specialPtes'),
    changesVmas: opsNeed(b.ops, 'vmas'),
    folioWords,
  });
}

/** The bounds with a policy's era, granularity and decider filled in (checkBounds refused contradictions). */
function withPolicy(b: Bounds): Bounds {
  if (b.policy === undefined) return b;
  const p = parsePolicy(b.policy);
  if ('error' in p) return b;
  const { policy: _, ...rest } = b;
  return { ...rest, era: p.era, ae: p.ae, ...(p.decider !== undefined ? { decider: p.decider } : {}) };
}
