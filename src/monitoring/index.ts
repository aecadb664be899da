/** Monitoring: what the gateway observed, written to Postgres off the request path; health; alerts. */
export * from './events';
export { createRecorder, type MonitoringRecorder, type RecorderOptions, type RecorderStats } from './recorder';
export { createMetrics, metricsObserver, endpointLabel, type GatewayMetrics, type MetricsOptions } from './metrics';
export { combineObservers } from './observers';
export { readHealth, type HealthReport, type HealthStatus } from './health';
export { createHealthMonitor, type HealthMonitor, type HealthMonitorOptions } from './alerts';
export { runRetentionOnce, startRetention, type RetentionOptions, type RetentionPolicy, type RetentionResult } from './retention';
export { createLogger, scrubText, silentLogger, REDACTED, type Logger, type LogLevel } from './logger';
export { createReadinessCheck, type Readiness, type ReadinessOptions } from './readiness';
