// The built-in simulator adapter (SPEC §5): import from here.
export { createSimAdapter, SimAdapter } from './adapter';
export { DEMO_CALLS, demoCalls } from './calls';
export { simConfigSchema, simControlsSchema, versionBehaviourSchema, DEMO_DEMAND_RPS, DEMO_SIM_CONFIG, describeIssues, type SimConfig, type SimConfigInput, type SimControls, type VersionBehaviour } from './config';
export { diurnalFactor, nextPeak } from './demand';
