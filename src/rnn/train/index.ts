/**
 * The fused training step of whole models (see ./plan.ts for when it applies, ./step.ts for
 * what it computes, ./install.ts for how `fit` and `evaluate` reach it).
 */
export { installFusedFit, fusedStepInfo, type FusedStepInfo } from './install';
export { setFusedTraining, fusedTrainingEnabled, planFusedStep, type FusedPlan } from './plan';
