/**
 * The scheme registry (src/model/mapcount/index.ts): lookups by name, the layout of a configuration's words
 * (made once per configuration), the error for a name no scheme has, the 6.15 era's mm-id slot, and a scheme
 * loaded from a file (registerScheme, schemeSource), which src/schemeFile.ts uses from suites the mutation
 * runs leave out. Registering changes this file's module state only (vitest runs each file in isolation).
 */
import { describe, expect, it } from 'vitest';
import { config } from '../../../test/helpers.js';
import type { Config } from '../config.js';
import {
  kernelMmId,
  registerScheme,
  SCHEME_NAMES,
  SCHEMES,
  schemeByName,
  schemeSlots,
  schemeSource,
  UnknownScheme,
} from './index.js';
import largeMapcount from './large-mapcount.js';
import mmId from './mm-id.js';
import { defineScheme } from './scheme.js';

const KNOWN = 'page-mapcount, tuple-naive, tuple-scan, large-mapcount, mm-id, total-mapped-pages';

describe('the scheme registry', () => {
  it('finds a scheme by its name, and none for a name no scheme has', () => {
    expect(schemeByName('mm-id')).toBe(mmId);
    expect(schemeByName('large-mapcount')).toBe(largeMapcount);
    expect(schemeByName('tuple-lazy')).toBeUndefined();
  });

  it("lays out a configuration's words once: the same slots every time it is asked", () => {
    const cfg = config({ schemes: ['mm-id', 'large-mapcount'] });
    const slots = schemeSlots(cfg);
    expect(slots.map((s) => [s.scheme.name, s.o])).toEqual([
      ['large-mapcount', 0],
      ['mm-id', 1],
    ]);
    expect(schemeSlots(cfg)).toBe(slots);
  });

  it('a configuration naming an unknown scheme (past the bounds schema) throws UnknownScheme', () => {
    const bad = { ...config({ schemes: ['mm-id'] }), schemes: ['mm-id', 'tuple-lazy'] } as unknown as Config;
    expect(() => schemeSlots(bad)).toThrow(UnknownScheme);
    const err = new UnknownScheme('tuple-lazy');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('UnknownScheme');
    expect(err.field).toBe('schemes');
    expect(err.message).toBe(`schemes: expected a list of ${KNOWN}, got "tuple-lazy"`);
  });

  it('kernelMmId: the mm-id slot 6.15 keeps; a configuration without mm-id has none, and says so', () => {
    expect(kernelMmId(config({ era: '6.15' }))).toEqual({ scheme: mmId, o: 0 });
    expect(kernelMmId(config({ schemes: ['tuple-naive', 'mm-id'] }))).toEqual({ scheme: mmId, o: 1 });
    expect(() => kernelMmId(config({ schemes: ['large-mapcount'] }))).toThrow(
      new Error('the 6.15 era keeps the mm-id scheme; this configuration has none'),
    );
  });

  it('a scheme loaded from a file joins the registry, by name, with the file it came from', () => {
    expect(schemeSource('mm-id')).toBeUndefined();
    const copy = defineScheme({ ...largeMapcount, name: 'large-mapcount-copy' });
    registerScheme(copy, 'file:///schemes/copy.js');
    expect(SCHEMES.at(-1)).toBe(copy);
    expect(SCHEME_NAMES.at(-1)).toBe('large-mapcount-copy');
    expect(schemeByName('large-mapcount-copy')).toBe(copy);
    expect(schemeSource('large-mapcount-copy')).toBe('file:///schemes/copy.js');
    expect(schemeSource('large-mapcount')).toBeUndefined();
    const slots = schemeSlots(config({ schemes: ['large-mapcount-copy', 'mm-id'] }));
    expect(slots.map((s) => [s.scheme.name, s.o])).toEqual([
      ['mm-id', 0],
      ['large-mapcount-copy', 6],
    ]);
  });
});
