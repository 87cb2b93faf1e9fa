/**
 * Scripts (script.ts): parsing `name(arg, ...)` steps and resolving them to the action instances of a
 * configuration; every bad step is an error that names the source, the step's number and its text.
 */
import { describe, expect, it } from 'vitest';
import { config, dofork, dontfork, exit, fork, mprotect, mremap, write } from '../test/helpers.js';
import { type Action, actionLabel } from './model/actions.js';
import { CORE_OPS } from './model/steps/index.js';
import { parseScript, resolveScript, ScriptError } from './script.js';
import { KernelSystem } from './spec.js';

const sys = new KernelSystem(
  config({ ops: [...CORE_OPS, 'write', 'read', 'exit', 'mprotect', 'dontfork', 'dofork', 'mremap'], map: 2 }),
);

/** The actions a script resolves to in `sys`. */
const resolved = (text: string): Action[] =>
  resolveScript(sys, parseScript(text, '--steps'), '--steps').map((i) => sys.actions[i] as Action);

/** The error a script gives, parsing and resolving it. */
function errorOf(text: string): Error {
  try {
    resolved(text);
  } catch (e) {
    if (e instanceof Error) return e;
  }
  throw new Error(`${JSON.stringify(text)} was accepted`);
}

describe('parseScript', () => {
  it('splits on ; and newlines, drops comments and blank steps, reads ro and rw as 0 and 1', () => {
    const steps = parseScript('write(0,0)\n# a comment\n\nmprotect(0, 0, 2, ro);  mprotect(0,0,2,rw) # rw again', 'f');
    expect(steps).toEqual([
      { text: 'write(0,0)', name: 'write', args: [0, 0] },
      { text: 'mprotect(0, 0, 2, ro)', name: 'mprotect', args: [0, 0, 2, 0] },
      { text: 'mprotect(0,0,2,rw)', name: 'mprotect', args: [0, 0, 2, 1] },
    ]);
  });

  it('an unknown word is a script error naming the source, the step and the word', () => {
    const e = errorOf('write(0,0); mprotect(0,0,2,rx)');
    expect(e).toBeInstanceOf(ScriptError);
    expect(e.message).toBe('--steps: step 2 "mprotect(0,0,2,rx)": expected integers (or ro, rw), got rx');
  });

  it('a step that is not name(args) is a script error naming it', () => {
    const e = errorOf('fork(0); write(0,0');
    expect(e).toBeInstanceOf(ScriptError);
    expect(e.message).toMatch(/^--steps: step 2 "write\(0,0": expected name\(arg, \.\.\.\)/);
  });
});

describe('resolveScript', () => {
  it('mprotect(0,0,2,ro) and (…,rw) resolve to the PROT_READ and PROT_READ|PROT_WRITE actions', () => {
    expect(resolved('mprotect(0,0,2,ro); mprotect(0,0,2,rw)')).toEqual([
      mprotect(0, 0, 2, 'ro'),
      mprotect(0, 0, 2, 'rw'),
    ]);
  });

  it('a scenario over the VMA operations resolves step by step, in order', () => {
    const text = 'write(0,0); dontfork(0,1,1); fork(0); exit(1); dofork(0,0,2); mremap(0,0,2,2)';
    const want = [write(0, 0), dontfork(0, 1, 1), fork(0), exit(1), dofork(0, 0, 2), mremap(0, 0, 2, 2)];
    expect(resolved(text).map(actionLabel)).toEqual(want.map(actionLabel));
  });

  it('an unknown step name, or the wrong number of arguments, is a script error naming the step', () => {
    expect(errorOf('fork(0); mmap(0,0)').message).toMatch(/^--steps: step 2 "mmap\(0,0\)": expected one of fault, /);
    expect(errorOf('mprotect(0,0,2)').message).toBe(
      '--steps: step 1 "mprotect(0,0,2)": expected mprotect(mm, addr, nr, rw), got 3 arguments',
    );
  });

  it('a step outside the bounds, or of an operation not enabled, is a script error naming the step', () => {
    expect(errorOf('mremap(0,0,2,3)').message).toMatch(/^--steps: step 1 "mremap\(0,0,2,3\)": outside the bounds/);
    expect(errorOf('mprotect(0,1,2,ro)').message).toMatch(/^--steps: step 1 .*: outside the bounds/);
    expect(errorOf('fork(0); munmap(0,0,1)').message).toMatch(
      /^--steps: step 2 "munmap\(0,0,1\)": munmap is not among the enabled operations/,
    );
  });
});
