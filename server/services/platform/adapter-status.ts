/** SystemSetting key of the active adapter's reachability: written by the telemetry leader, read by /api/health and the console's banner. */
export const ADAPTER_STATUS_KEY = 'telemetry.adapter';
