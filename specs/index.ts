/**
 * Every regression spec, in the order `foliocheck specs` runs them.
 */
import type { Spec } from '../src/spec.js';
import coreSafe from './bench-core/core-safe.spec.js';
import coreSafeP0 from './bench-core/core-safe-p0.spec.js';
import coreSafeS5 from './bench-core/core-safe-s5.spec.js';
import coreTuple from './bench-core/core-tuple.spec.js';
import { COW_SPECS } from './cow/cow.js';
import { HISTORY_SPECS } from './history/history.js';

export const SPECS: readonly Spec[] = [coreTuple, coreSafeP0, coreSafeS5, coreSafe, ...COW_SPECS, ...HISTORY_SPECS];
