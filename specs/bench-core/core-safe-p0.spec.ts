import { PRESETS } from '../../src/model/presets.js';
import { defineSpec } from '../../src/spec.js';

export default defineSpec({
  name: 'core-safe-p0',
  about:
    'bench-core without pins: fault, MADV_DONTNEED, fork and COW under the 5.19-6.14 rules keep every counter ' +
    'exact and every exclusive page unshared. Figures: docs/bench-core.md (Spin and a second model).',
  bounds: PRESETS['core-safe-p0'],
  expect: { verdict: 'success', states: 185_042, edges: 2_944_041, depth: 15 },
});
