/**
 * The model's bounds for a kernel run take the running kernel's answer to whether a read fault maps the
 * zero page (`readAllocates`, docs/kernel-conformance.md), as they take its era; a contradicting flag and a
 * configuration that disagrees with the kernel are refused, naming the flag.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/usageError.js';
import { makeConfig } from '../model/configure.js';
import { PRESETS } from '../model/presets.js';
import { kernelBounds } from './command.js';
import { checkConfig, StepRefused } from './replay.js';

describe('kernel bounds: the zero page as the running kernel has it', () => {
  it('a kernel whose read faults allocate sets --read-allocates; one that maps the zero page leaves it off', () => {
    expect(kernelBounds({}, false, true).readAllocates).toBe(true);
    expect(kernelBounds({}, false, false).readAllocates).toBeUndefined();
    // Before a session has asked the kernel, the user's own value stands (bad input is reported first).
    expect(kernelBounds({ readAllocates: true }, false).readAllocates).toBe(true);
  });

  it('--read-allocates given on a kernel that maps the zero page is refused, naming the flag', () => {
    expect(() => kernelBounds({ readAllocates: true }, false, false)).toThrow(UsageError);
    expect(() => kernelBounds({ readAllocates: true }, false, false)).toThrow(/--read-allocates/);
  });

  it('a configuration that disagrees with the kernel is refused before any step runs', () => {
    const off = makeConfig({ ...PRESETS['core-safe'], ops: ['read'] });
    const on = makeConfig({ ...PRESETS['core-safe'], ops: ['read'], readAllocates: true });
    expect(() => checkConfig(off, true)).toThrow(StepRefused);
    expect(() => checkConfig(off, true)).toThrow(/--read-allocates/);
    expect(() => checkConfig(on, false)).toThrow(/--read-allocates: this kernel maps the zero page/);
  });
});
