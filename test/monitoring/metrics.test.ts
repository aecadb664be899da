import { describe, expect, it } from 'vitest';
import { nullObserver, type SourceObserver } from '../../src/monitoring/events';
import { createMetrics, metricsObserver } from '../../src/monitoring/metrics';
import { combineObservers } from '../../src/monitoring/observers';
import { attempt, failedAttempt } from './fixtures';

describe('metrics', () => {
  it('counts upstream calls, latency, cache reads and breakers with bounded labels', async () => {
    const metrics = createMetrics();
    const observer = metricsObserver(metrics);
    observer.attempt(attempt({ latencyMs: 200 }));
    observer.attempt(attempt({ latencyMs: 300 }));
    observer.attempt(failedAttempt({ errorType: 'timeout', endpoint: '/api/campaigns/42/stats' }));
    observer.cacheRead('stats', 'hit');
    observer.cacheRead('stats', 'hit');
    observer.cacheRead('sender-emails', 'stale_if_error');
    observer.breaker({ workspaceId: 1, endpoint: '/api/sender-emails', state: 'open', at: 0 });
    observer.breaker({ workspaceId: 2, endpoint: '/api/sender-emails', state: 'open', at: 0 });
    observer.breaker({ workspaceId: 2, endpoint: '/api/sender-emails', state: 'half_open', at: 0 });
    metrics.setQueueDepthSource(() => 17);

    const text = await metrics.text();
    expect(text).toContain('bison_upstream_calls_total{endpoint="/api/workspaces/v1.1/stats",outcome="success"} 2');
    // an id in a path is folded into the template, so a label set stays bounded
    expect(text).toContain('bison_upstream_calls_total{endpoint="/api/campaigns/:id/stats",outcome="timeout"} 1');
    expect(text).toContain('bison_upstream_latency_seconds_count{endpoint="/api/workspaces/v1.1/stats"} 2');
    expect(text).toContain('bison_upstream_latency_seconds_sum{endpoint="/api/workspaces/v1.1/stats"} 0.5');
    expect(text).toContain('bison_upstream_latency_seconds_bucket{le="0.25",endpoint="/api/workspaces/v1.1/stats"} 1');
    expect(text).toContain('bison_cache_reads_total{resource="stats",outcome="hit"} 2');
    expect(text).toContain('bison_cache_reads_total{resource="sender-emails",outcome="stale_if_error"} 1');
    expect(text).toContain('bison_circuit_breakers{state="open"} 1');
    expect(text).toContain('bison_circuit_breakers{state="half_open"} 1');
    expect(text).toContain('bison_circuit_breakers{state="closed"} 0');
    expect(text).toContain('bison_scheduler_queue_depth 17');
    expect(text).not.toMatch(/workspace_?id=/i);
  });

  it('keeps registries of two gateways in one process apart', async () => {
    const a = createMetrics();
    const b = createMetrics();
    metricsObserver(a).cacheRead('stats', 'miss');
    expect(await a.text()).toContain('bison_cache_reads_total{resource="stats",outcome="miss"} 1');
    expect(await b.text()).not.toContain('bison_cache_reads_total{');
  });
});

describe('combineObservers', () => {
  it('fans out every call, and an observer that throws affects neither the others nor the caller', () => {
    const seen: string[] = [];
    const recording = (name: string): SourceObserver => ({
      attempt: (a) => seen.push(`${name}:attempt:${a.attempt}`),
      cacheState: (c) => seen.push(`${name}:cache:${c.key}`),
      validation: (v) => seen.push(`${name}:validation:${v.errorType}`),
      cacheRead: (r, o) => seen.push(`${name}:read:${r}:${o}`),
      breaker: (b) => seen.push(`${name}:breaker:${b.state}`),
    });
    const throwing: SourceObserver = {
      attempt() { throw new Error('boom'); },
      cacheState() { throw new Error('boom'); },
      validation() { throw new Error('boom'); },
      cacheRead() { throw new Error('boom'); },
      breaker() { throw new Error('boom'); },
    };
    const all = combineObservers(recording('a'), throwing, recording('b'), nullObserver);
    expect(() => {
      all.attempt(attempt({ attempt: 2 }));
      all.cacheRead('stats', 'hit');
      all.breaker({ workspaceId: 1, endpoint: '/x', state: 'open', at: 0 });
    }).not.toThrow();
    expect(seen).toEqual(['a:attempt:2', 'b:attempt:2', 'a:read:stats:hit', 'b:read:stats:hit', 'a:breaker:open', 'b:breaker:open']);
  });
});
