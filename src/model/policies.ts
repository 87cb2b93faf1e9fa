/**
 * Policies: an era's rules, a PG_anon_exclusive granularity and, optionally, the scheme that decides
 * (decide.ts). A policy is written `era/ae` or `era/ae@decider` (`6.15/folio@tuple-naive`), or by the name
 * of a bundle below (`--policy`, a spec's `policies`).
 */
import { AE_GRANULARITIES, type AeGranularity } from './config.js';
import { ERAS, type Era, isEra } from './eras.js';
import { SCHEME_NAMES } from './mapcount/index.js';

export interface Policy {
  readonly era: Era;
  readonly ae: AeGranularity;
  /** The scheme the kernel's mapcount decisions ask; absent: the era's own counts. */
  readonly decider?: string;
}

/** A named bundle, with what it stands for. */
export interface NamedPolicy extends Policy {
  readonly name: string;
  readonly about: string;
}

export const NAMED_POLICIES: readonly NamedPolicy[] = [
  {
    name: 'jan-2023',
    era: '6.15',
    ae: 'folio',
    decider: 'tuple-naive',
    about:
      'the linux-mm proposal of January 2023 as written: one mapcount per folio counting (VMA, page table) ' +
      'pairs decides, one AnonExclusive bit per folio; under the 6.15 rules, whose COW may reuse a large folio',
  },
  {
    name: 'kernel-6.15',
    era: '6.15',
    ae: 'page',
    decider: 'mm-id',
    about: "today's kernel: 6.15 rules, AnonExclusive per page, MM-ID owner tracking deciding",
  },
];
export const POLICY_NAMES: readonly string[] = NAMED_POLICIES.map((p) => p.name);

/** `era/ae`, or `era/ae@decider`. */
export const policyKey = (p: Policy): string => `${p.era}/${p.ae}${p.decider !== undefined ? `@${p.decider}` : ''}`;

export const POLICY_SYNTAX = `era/ae or era/ae@scheme (eras ${ERAS.join(', ')}; ae ${AE_GRANULARITIES.join(' or ')}; schemes ${SCHEME_NAMES.join(', ')}), or one of ${POLICY_NAMES.join(', ')}`;

/** Parses a policy as written, or says what is wrong with it. */
export function parsePolicy(text: string): Policy | { readonly error: string } {
  const named = NAMED_POLICIES.find((p) => p.name === text);
  if (named !== undefined) return withDecider({ era: named.era, ae: named.ae }, named.decider);
  const m = /^([^/@]+)\/([^/@]+)(?:@(.+))?$/.exec(text);
  if (m === null) return { error: POLICY_SYNTAX };
  const [, era, ae, decider] = m as unknown as [string, string, string, string | undefined];
  if (!isEra(era)) return { error: `era/ae: an era of ${ERAS.join(', ')} before the /` };
  if (!(AE_GRANULARITIES as readonly string[]).includes(ae)) return { error: 'era/ae: ae page or folio after the /' };
  if (decider !== undefined && !SCHEME_NAMES.includes(decider))
    return { error: `era/ae@scheme: a scheme of ${SCHEME_NAMES.join(', ')} after the @` };
  return withDecider({ era, ae: ae as AeGranularity }, decider);
}

function withDecider(p: { era: Era; ae: AeGranularity }, decider: string | undefined): Policy {
  return decider === undefined ? p : { ...p, decider };
}
