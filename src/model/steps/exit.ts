/**
 * exit(m): the process exits and every mapping of its mm is zapped.
 */
import { exit_mmap } from '../mm/mmap/exit_mmap.js';
import { defineStep, perMm } from './defineStep.js';

export default defineStep({
  name: 'exit',
  params: ['mm'],
  summary: '`exit_mmap()`: every mapping of the mm is zapped',
  instances: (cfg) => perMm(cfg, (mm) => ({ kind: 'exit', mm })),
  apply: (k, a) => exit_mmap(k, a.mm),
  format: (a) => `exit_mmap(mm${a.mm})  the process exits`,
  whyNot: { EFAULT: 'the mm does not exist' },
});
