export { createPrometheusSource, PrometheusSource, PrometheusError } from './source';
export { prometheusConfigSchema, DEFAULT_QUERIES, type PrometheusConfig, type PrometheusConfigInput } from './config';
