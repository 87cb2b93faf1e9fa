/**
 * foliocheck's engine: generic over any `TransitionSystem`; it imports nothing from the model.
 */
export { type ExploreOptions, explore, type Progress } from './explore.js';
export { Frontier } from './frontier.js';
export { hashWords } from './hash.js';
export { type SimulateOptions, type SimulateResult, simulate, walk } from './simulate.js';
export { collisionProbability, ExactStore, FingerprintStore, Predecessors, type StateStore } from './stateStore.js';
export type { StepFailure, TransitionSystem } from './transitionSystem.js';
export { exitStatus, type IncompleteReason, type Stats, type TraceStep, type Verdict } from './verdict.js';
