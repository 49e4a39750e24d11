// The built-in simulator adapter (SPEC §5): import from here.
export { createSimAdapter, SimAdapter } from './adapter';
export { simConfigSchema, simControlsSchema, DEMO_DEMAND_RPS, DEMO_SIM_CONFIG, describeIssues, type SimConfig, type SimConfigInput, type SimControls } from './config';
export { diurnalFactor, nextPeak } from './demand';
