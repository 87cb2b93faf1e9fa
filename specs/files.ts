/**
 * Where the spec files are: this folder when run from the sources (vitest), the repository's specs/ when
 * run from the build (tsc copies no YAML into dist/).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Spec } from '../src/spec.js';
import { loadSpecFile } from '../src/specs/load.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository's specs/ folder. */
export const SPECS_DIR = existsSync(join(here, 'history', 'history.yaml')) ? here : join(here, '..', '..', 'specs');

/** The specs of a file under specs/ (a path relative to it). */
export function projectSpecs(file: string): Spec[] {
  return loadSpecFile(join(SPECS_DIR, file));
}
