/**
 * shrink_folio_list(): the refusals mutation testing found unpinned (docs/mutation-testing.md): an mm that
 * exited is EFAULT, not "nothing to reclaim"; a zero-filled page that a split put on the zero page is
 * nothing to swap (6.15: split_huge_page() maps it to the zero page, b1f202060afe).
 */
import { describe, it } from 'vitest';
import {
  config,
  exit,
  expectRefused,
  fork,
  kernelAfter,
  reclaim,
  THP_SWAP_OPS,
  write,
} from '../../../../test/helpers.js';

const cfg = config({ ops: THP_SWAP_OPS, swap: 2, data: true, era: '6.15' });

describe('shrink_folio_list refusals', () => {
  it('an mm that exited: EFAULT', () => {
    expectRefused(kernelAfter(cfg, [write(0, 0), fork(0), exit(1)]), reclaim(1, 0, 1), 'EFAULT');
  });

  it('6.15: a never-written page of a large folio goes to the zero page when split: nothing to swap (ENOENT)', () => {
    expectRefused(kernelAfter(cfg, [write(0, 0)]), reclaim(0, 1, 1), 'ENOENT');
  });
});
