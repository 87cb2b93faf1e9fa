/**
 * One fast-check seed for every test of a mutation run (vitest.mutate.config.ts's setup file).
 *
 * @fast-check/vitest names a property test `<title> (with seed=N)`, N drawn afresh in every process. Stryker
 * records which tests cover a mutant by name in its dry run and runs those names against the mutant: with a
 * fresh seed no name matched, so a mutant that only property tests cover ran no test at all and was
 * recorded "survived" (`testsCompleted: 0` in the report). A fixed seed keeps the names, and makes a run's
 * verdicts repeatable. FOLIOCHECK_MUTATE_SEED picks another.
 */
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(process.env.FOLIOCHECK_MUTATE_SEED ?? 20261203) });
