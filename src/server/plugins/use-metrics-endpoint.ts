/** `GET /metrics`: Prometheus text exposition of the gateway's own registry. */
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../../monitoring/metrics';

export function useMetricsEndpoint(metrics: GatewayMetrics, endpoint = '/metrics'): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      endResponse(new fetchAPI.Response(await metrics.text(), { headers: { 'content-type': 'text/plain; version=0.0.4' } }));
    },
  };
}
