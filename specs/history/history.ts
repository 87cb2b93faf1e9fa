/**
 * The kernel's COW history as regression specs, one per scenario and policy: the data is history.yaml
 * (a spec file: docs/spec-files.md); this module names it for the code that reads it directly.
 */
import type { Spec } from '../../src/spec.js';
import { projectSpecs } from '../files.js';

export const HISTORY_SPECS: readonly Spec[] = projectSpecs('history/history.yaml');

/** history.yaml's THP scenarios at the kernel's geometry (2 MiB), for the 6.15 rules and the kernel replay. */
export const HISTORY_2MIB_SPECS: readonly Spec[] = projectSpecs('history/kernel-geometry.yaml');
