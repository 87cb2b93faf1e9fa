import { PRESETS } from '../../src/model/presets.js';
import { defineSpec } from '../../src/spec.js';

export default defineSpec({
  name: 'core-safe',
  about: 'bench-core, the reference configuration. Figures: docs/bench-core.md.',
  bounds: PRESETS['core-safe'],
  expect: { verdict: 'success', states: 12_441_623, edges: 228_330_789, depth: 25 },
  heavy: true,
});
