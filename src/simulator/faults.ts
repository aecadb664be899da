/**
 * Failure modes, as rules scoped globally, per workspace and/or per endpoint. For each request the
 * matching rules are merged (more specific rules win, later rules win among equals) into a plan.
 * Draws come from a seeded PRNG, a fixed number per request, so a given seed and request order
 * always produce the same faults.
 */
import { mulberry32, hashString } from './random';

/** ms; or uniform in [min, max], optionally with a slow tail: `slowRate` of requests take `slowMs`. */
export type LatencySpec = number | { min: number; max: number; slowRate?: number; slowMs?: number | { min: number; max: number } };

/** `missing` drops a field, `renamed` renames it (`x` -> `x_v2`), `string` sends a number as a locale string ("1.234,00"). */
export type DriftMode = 'missing' | 'renamed' | 'string';

export interface FaultSpec {
  latencyMs?: LatencySpec;
  /** Share of requests answered with `errorStatus` (0..1). */
  errorRate?: number;
  /** @default 500 */
  errorStatus?: number;
  /** Error bodies as an HTML page (a proxy's or the framework's) instead of JSON. */
  html?: boolean;
  /** Share of requests that never get an answer (until the client gives up or the simulator closes). */
  hangRate?: number;
  /** Share of requests whose socket is destroyed without an answer. */
  resetRate?: number;
  /** Share of 200 answers whose JSON body is cut short. */
  malformedRate?: number;
  /** Schema drift on 200 answers; `field` defaults per endpoint (e.g. `interested` for stats). */
  drift?: { mode: DriftMode; field?: string; rate?: number };
  /** Stats numbers as numeric strings ("12"): harmless, the client must coerce. */
  stringly?: boolean;
}

export interface FaultRule extends FaultSpec {
  /** Given or assigned; used to remove the rule. */
  id?: string;
  workspaceId?: number;
  /** `GET /api/workspaces/v1.1/stats` or just the path template `/api/workspaces/v1.1/stats`. */
  endpoint?: string;
}

export type Outcome = 'ok' | 'error' | 'hang' | 'reset' | 'malformed';

export interface FaultPlan {
  latencyMs: number;
  outcome: Outcome;
  errorStatus: number;
  html: boolean;
  drift: { mode: DriftMode; field?: string } | null;
  stringly: boolean;
}

const SPEC_KEYS: Array<keyof FaultSpec> = ['latencyMs', 'errorRate', 'errorStatus', 'html', 'hangRate', 'resetRate', 'malformedRate', 'drift', 'stringly'];

export class FaultEngine {
  private rules: Array<FaultRule & { id: string }> = [];
  private rand: () => number;
  private nextId = 1;

  constructor(private readonly seed: string, private baseLatency: LatencySpec = 0, rules: FaultRule[] = []) {
    this.rand = mulberry32(hashString(`${seed}|faults`));
    this.set(rules);
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Replaces every rule. */
  set(rules: FaultRule[]): void {
    this.rules = [];
    for (const r of rules) this.add(r);
  }

  add(rule: FaultRule): string {
    checkRule(rule);
    const id = rule.id ?? `fault-${this.nextId++}`;
    this.rules = this.rules.filter((r) => r.id !== id).concat({ ...rule, id });
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  /** Drops every rule and restarts the PRNG, so a test run after reset replays the same faults. */
  reset(): void {
    this.rules = [];
    this.rand = mulberry32(hashString(`${this.seed}|faults`));
  }

  setBaseLatency(latency: LatencySpec): void {
    this.baseLatency = latency;
  }

  plan(endpoint: string, workspaceId: number | null): FaultPlan {
    const spec = this.merged(endpoint, workspaceId);
    const u = Array.from({ length: 8 }, this.rand);
    const outcome: Outcome = u[2] < (spec.resetRate ?? 0) ? 'reset'
      : u[3] < (spec.hangRate ?? 0) ? 'hang'
      : u[4] < (spec.errorRate ?? 0) ? 'error'
      : u[5] < (spec.malformedRate ?? 0) ? 'malformed'
      : 'ok';
    const drift = spec.drift && u[6] < (spec.drift.rate ?? 1) ? { mode: spec.drift.mode, field: spec.drift.field } : null;
    return {
      latencyMs: latencyOf(spec.latencyMs ?? this.baseLatency, u[0], u[1], u[7]),
      outcome,
      errorStatus: spec.errorStatus ?? 500,
      html: spec.html ?? false,
      drift,
      stringly: spec.stringly ?? false,
    };
  }

  private merged(endpoint: string, workspaceId: number | null): FaultSpec {
    const path = endpoint.slice(endpoint.indexOf(' ') + 1);
    const matching = this.rules.filter((r) => (r.workspaceId === undefined || r.workspaceId === workspaceId)
      && (r.endpoint === undefined || r.endpoint === endpoint || r.endpoint === path));
    const specificity = (r: FaultRule) => (r.workspaceId !== undefined ? 1 : 0) + (r.endpoint !== undefined ? 1 : 0);
    const ordered = matching.map((r, i) => ({ r, i })).sort((a, b) => specificity(a.r) - specificity(b.r) || a.i - b.i);
    const out: FaultSpec = {};
    for (const { r } of ordered) for (const k of SPEC_KEYS) if (r[k] !== undefined) (out as Record<string, unknown>)[k] = r[k];
    return out;
  }
}

function latencyOf(spec: LatencySpec, u: number, uSlow: number, uTail: number): number {
  if (typeof spec === 'number') return spec;
  if (spec.slowRate && uSlow < spec.slowRate) {
    const slow = spec.slowMs ?? spec.max * 5;
    return typeof slow === 'number' ? slow : slow.min + uTail * (slow.max - slow.min);
  }
  return spec.min + u * (spec.max - spec.min);
}

function checkRule(rule: FaultRule): void {
  for (const k of ['errorRate', 'hangRate', 'resetRate', 'malformedRate'] as const) {
    const v = rule[k];
    if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`simulator fault: ${k} wants a share from 0 to 1, got ${JSON.stringify(v)}`);
  }
  if (rule.errorStatus !== undefined && !(rule.errorStatus >= 400 && rule.errorStatus <= 599)) {
    throw new Error(`simulator fault: errorStatus wants an HTTP error status, got ${JSON.stringify(rule.errorStatus)}`);
  }
  const l = rule.latencyMs;
  if (l !== undefined && (typeof l === 'number' ? !(l >= 0) : !(l.min >= 0 && l.max >= l.min))) {
    throw new Error(`simulator fault: latencyMs wants ms >= 0 or { min, max } with max >= min, got ${JSON.stringify(l)}`);
  }
  if (rule.drift && !['missing', 'renamed', 'string'].includes(rule.drift.mode)) {
    throw new Error(`simulator fault: drift.mode wants missing, renamed or string, got ${JSON.stringify(rule.drift.mode)}`);
  }
}
