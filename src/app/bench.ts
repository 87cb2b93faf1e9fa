/**
 * `foliocheck bench`: a bench-core variant compared with its published figures (its spec file,
 * specs/bench-core/NAME.yaml). Only that file is read, not every spec: the variants measure the search's
 * memory, and loading every spec (cow.c's generated ones among them) would add about 20 MiB to it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectSpecs, SPECS_DIR } from '../../specs/files.js';
import { type Verdict, withMismatches } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import type { Bounds } from '../model/config.js';
import { makeConfig } from '../model/configure.js';
import { compareWithSpec, KernelSystem, type Spec } from '../spec.js';
import { type RunControl, type SearchSettings, searchKernel } from './search.js';

export interface BenchRun {
  readonly sys: KernelSystem;
  /** Compared with the published figures, when the variant has some. */
  readonly verdict: Verdict<Action> & { readonly mismatches: readonly string[] };
  readonly published?: Spec['expect'];
}

/** Runs a bench-core variant (`bounds`, one of the presets) and compares it with its published figures. */
export async function benchVariant(
  name: string,
  bounds: Bounds,
  search: SearchSettings,
  control: RunControl = {},
): Promise<BenchRun> {
  const file = `bench-core/${name}.yaml`;
  const spec = existsSync(join(SPECS_DIR, file)) ? projectSpecs(file).find((s) => s.name === name) : undefined;
  const sys = new KernelSystem(makeConfig(bounds), name);
  const v = await searchKernel(sys, search, control);
  const verdict = withMismatches(v, spec === undefined ? [] : compareWithSpec(spec.expect, v));
  return { sys, verdict, ...(spec !== undefined ? { published: spec.expect } : {}) };
}
