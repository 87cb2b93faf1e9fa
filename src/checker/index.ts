/**
 * foliocheck's engine: generic over any `TransitionSystem`; it imports nothing from the model.
 */
export { type ExploreOptions, explore } from './explore.js';
export { Frontier } from './frontier.js';
export { hashWords } from './hash.js';
export { Budget, type Limits, type Progress } from './limits.js';
export { type SimulateOptions, simulate, walk } from './simulate.js';
export { collisionProbability, ExactStore, FingerprintStore, Predecessors, type StateStore } from './stateStore.js';
export type { StepFailure, TransitionSystem } from './transitionSystem.js';
export {
  type Ended,
  exitStatus,
  type FailedStep,
  type Incomplete,
  type IncompleteReason,
  type Stats,
  type TraceStep,
  type Verdict,
  type Violation,
  verdictOf,
  type Walks,
  withMismatches,
} from './verdict.js';
