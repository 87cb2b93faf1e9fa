import { PRESETS } from '../../src/model/presets.js';
import { defineSpec } from '../../src/spec.js';

export default defineSpec({
  name: 'core-tuple',
  about:
    'The one-mapcount-per-folio proposal (linux-mm, January 2023) with naive decrement desyncs on a partial ' +
    'MADV_DONTNEED of a large folio: fault an order-2 folio, zap one of its pages. Shortest length: ' +
    'docs/bench-core.md.',
  bounds: PRESETS['core-tuple'],
  expect: { verdict: 'invariant-violated', invariant: 'tupleCountMatchesPageTables', traceLength: 2 },
});
