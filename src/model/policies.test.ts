/**
 * parsePolicy() (policies.ts) on what it refuses, with the words it refuses with: a policy that is not
 * `era/ae` or `era/ae@scheme` whole, an unknown era, granularity or scheme; and a policy without a decider
 * has no `decider` field at all (exactOptionalPropertyTypes), not one set to undefined.
 */
import { describe, expect, it } from 'vitest';
import { SCHEME_NAMES } from './mapcount/index.js';
import { POLICY_SYNTAX, parsePolicy } from './policies.js';

describe('parsePolicy', () => {
  it('reads era/ae, with or without a deciding scheme', () => {
    expect(parsePolicy('6.15/page')).toStrictEqual({ era: '6.15', ae: 'page' });
    expect(parsePolicy('5.19/folio@mm-id')).toStrictEqual({ era: '5.19', ae: 'folio', decider: 'mm-id' });
  });

  it('leaves the decider out, not undefined, when there is none', () => {
    const p = parsePolicy('6.15/folio');
    expect('decider' in p).toBe(false);
    expect(Object.keys(p)).toEqual(['era', 'ae']);
  });

  it('reads the whole text: anything before or after era/ae@scheme is refused with the syntax', () => {
    expect(parsePolicy('x/6.15/page')).toEqual({ error: POLICY_SYNTAX });
    expect(parsePolicy('6.15/page/x')).toEqual({ error: POLICY_SYNTAX });
    expect(parsePolicy('6.15')).toEqual({ error: POLICY_SYNTAX });
  });

  it('names the eras when the era is unknown', () => {
    expect(parsePolicy('4.0/page')).toEqual({ error: 'era/ae: an era of 5.7, 5.8, 5.9, 5.19, 6.15 before the /' });
    expect(parsePolicy('4.0/page@mm-id')).toEqual({
      error: 'era/ae: an era of 5.7, 5.8, 5.9, 5.19, 6.15 before the /',
    });
  });

  it('names the granularities when the ae is unknown', () => {
    expect(parsePolicy('6.15/pmd')).toEqual({ error: 'era/ae: ae page or folio after the /' });
  });

  it('names the schemes when the scheme is unknown', () => {
    expect(parsePolicy('6.15/page@nope')).toEqual({
      error: `era/ae@scheme: a scheme of ${SCHEME_NAMES.join(', ')} after the @`,
    });
  });
});
