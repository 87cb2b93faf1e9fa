/**
 * The kernel's COW history as regression specs, one per scenario and policy: the data is history.yaml
 * (a spec file: docs/spec-files.md); this module names it for the code that reads it directly.
 */
import type { Spec } from '../../src/spec.js';
import { projectSpecs } from '../files.js';

export const HISTORY_SPECS: readonly Spec[] = projectSpecs('history/history.yaml');
