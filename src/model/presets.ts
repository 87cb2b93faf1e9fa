/**
 * Named bounds: bench-core's variants and the whole model. Above the step registry, since the whole model
 * enables every step it lists.
 */
import type { Bounds } from './config.js';
import { CORE_OPS, OP_NAMES } from './steps/index.js';

/** bench-core's settings (docs/bench-core.md), by variant name, and the whole model. */
export const PRESETS = {
  'core-safe': {
    mms: 2,
    va: 4,
    pt: 4,
    large: 4,
    slots: 16,
    pins: 1,
    ops: CORE_OPS,
  },
  'core-safe-s5': {
    mms: 2,
    va: 4,
    pt: 4,
    large: 4,
    slots: 5,
    pins: 1,
    ops: CORE_OPS,
  },
  'core-safe-p0': {
    mms: 2,
    va: 4,
    pt: 4,
    large: 4,
    slots: 16,
    pins: 0,
    ops: CORE_OPS,
  },
  'core-tuple': {
    mms: 2,
    va: 4,
    pt: 4,
    large: 4,
    slots: 16,
    pins: 1,
    ops: CORE_OPS,
    schemes: ['tuple-naive'],
  },
  /**
   * The whole model, small: every operation, contents tracked, two free pages for mremap, one swap slot.
   * Not bench-core: no published count; `npm run bench` explores it to depth 6 for throughput.
   */
  'whole-model': {
    mms: 2,
    va: 4,
    pt: 2,
    large: 2,
    slots: 3,
    pins: 1,
    map: 2,
    swap: 1,
    data: true,
    ops: OP_NAMES,
  },
} as const satisfies Record<string, Bounds>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
