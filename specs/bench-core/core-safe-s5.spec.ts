import { PRESETS } from '../../src/model/presets.js';
import { defineSpec } from '../../src/spec.js';

export default defineSpec({
  name: 'core-safe-s5',
  about: 'bench-core with 5 folio slots: the throughput variant. Figures: docs/bench-core.md.',
  bounds: PRESETS['core-safe-s5'],
  expect: { verdict: 'success', states: 4_610_089, edges: 70_285_813, depth: 22 },
  heavy: true,
});
