/**
 * The OpenTelemetry SDK side, loaded only when tracing is on (src/main.ts imports it dynamically;
 * the build keeps it in its own chunk): `createTracing` over any TracerProvider (tests pass their
 * own), and `startTracingSdk`, the production provider exporting over OTLP/HTTP. Nothing is
 * registered globally except the AsyncLocalStorage context manager, which async context needs.
 */
import { context, propagation, trace, type Context, type Span, type TextMapGetter, type TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '../config';
import pkg from '../../package.json';
import type { Logger } from './logger';
import { failSpan, type GatewayTracing, type SpanOptions } from './tracing';

const headersGetter: TextMapGetter<Headers> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key) ?? undefined,
};

// Context travels through async code only with a context manager, and there is one per process:
// the first tracing installs AsyncLocalStorage's, the last one to shut down removes it.
let contextUsers = 0;
let ownContextManager = false;
function useContextManager(): void {
  if (contextUsers++ === 0) ownContextManager = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}
function releaseContextManager(): void {
  if (--contextUsers === 0 && ownContextManager) {
    context.disable();
    ownContextManager = false;
  }
}

export interface TracingOptions {
  provider: TracerProvider & { forceFlush?(): Promise<void>; shutdown?(): Promise<void> };
  /** Instrumentation scope name. @default 'bison-gateway' */
  name?: string;
}

export function createTracing({ provider, name = 'bison-gateway' }: TracingOptions): GatewayTracing {
  const tracer = provider.getTracer(name);
  const propagator = new W3CTraceContextPropagator();
  useContextManager();
  let stopped = false;

  function startSpan(spanName: string, options: SpanOptions, parent: Context = context.active()): Span {
    return tracer.startSpan(spanName, { kind: options.kind, attributes: options.attributes, root: options.root, links: options.links }, parent);
  }

  return {
    enabled: true,
    startSpan,
    span(spanName, options, fn) {
      const span = startSpan(spanName, options);
      return context.with(trace.setSpan(context.active(), span), async function inSpan() {
        try {
          return await fn(span);
        } catch (err) {
          failSpan(span, err);
          throw err;
        } finally {
          span.end();
        }
      });
    },
    outgoingHeaders() {
      const headers: Record<string, string> = {};
      propagator.inject(context.active(), headers, { set: (carrier, key, value) => void (carrier[key] = value) });
      return headers;
    },
    extract: (headers, base = context.active()) => propagator.extract(base, headers, headersGetter),
    flush: async () => {
      await provider.forceFlush?.();
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      await provider.shutdown?.();
      releaseContextManager();
    },
  };
}

export interface TracingSdkOptions {
  config: TracingConfig;
  logger: Pick<Logger, 'warn'>;
  /** Also make it the process's global tracer provider and propagator (src/main.ts). @default false */
  global?: boolean;
}

/**
 * The production tracer provider: spans batched (OTEL_BSP_*) and exported over OTLP/HTTP in
 * protobuf or JSON, sampled as OTEL_TRACES_SAMPLER says (default: follow the caller, else always),
 * with `service.name`, `service.version` and OTEL_RESOURCE_ATTRIBUTES. Export failures are logged,
 * throttled; they never reach a request.
 */
export function startTracingSdk({ config, logger, global = false }: TracingSdkOptions): GatewayTracing {
  const exporter = loggingFailures(
    config.exporter === 'console'
      ? new ConsoleSpanExporter()
      : config.protocol === 'http/json' ? new OtlpJsonExporter({ url: config.url }) : new OtlpProtobufExporter({ url: config.url }),
    config,
    logger,
  );
  const resource = detectResources({ detectors: [envDetector] }).merge(resourceFromAttributes({
    [ATTR_SERVICE_NAME]: config.serviceName,
    [ATTR_SERVICE_VERSION]: pkg.version,
  }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  const tracing = createTracing({ provider });
  if (global) {
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  }
  return tracing;
}

/** Logs the first failed export, then one in a hundred, naming where spans were going. */
function loggingFailures(exporter: SpanExporter, config: TracingConfig, logger: Pick<Logger, 'warn'>): SpanExporter {
  let failures = 0;
  const where = config.exporter === 'console' ? 'the console' : new URL(config.url).origin;
  return {
    export(spans, done) {
      exporter.export(spans, (result) => {
        if (result.code === ExportResultCode.FAILED && failures++ % 100 === 0) {
          logger.warn({ err: result.error?.message ?? 'unknown error', failures, spans: spans.length, to: where }, 'tracing: could not export spans');
        }
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
