/**
 * Seeded random inputs for every argument the schema takes: wrong types, out-of-range numbers,
 * hostile strings (SQL, paths, control characters, 10k characters), half-valid months and cursors,
 * and garbage documents. Same seed, same cases.
 */

/** mulberry32: small, fast, good enough to pick test cases reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzCase {
  query: string;
  variables?: Record<string, unknown>;
}

const HOSTILE = [
  '', ' ', "'; DROP TABLE clients; --", '" OR 1=1 --', '../../etc/passwd', '%00', '\u0000', '\n\r\t', '😀'.repeat(50),
  '<script>alert(1)</script>', '${process.env}', '{{7*7}}', 'null', 'undefined', 'NaN', '-1', '1e309', '__proto__',
  'x'.repeat(10_000), 'javascript:alert(1)', 'http://169.254.169.254/latest/meta-data', 'file:///etc/passwd',
];
const MONTHS = ['2026-11', '2026-13', '2026-00', '0000-01', '9999-12', '2026-1', '26-11', '2026-11-01', '2026/11', '2025-02', '1969-12', 'YYYY-MM'];
const INTS = [0, -1, 1, 2, 3, 7, 2147483647, -2147483648, 2147483648, 1e15, 0.5, -0.0];
const FLOATS = [0, -1, 0.01, 1e308, -1e308, 100.5, 3.14159, 1e-300];

export function fuzzCases(seed: number, count: number): FuzzCase[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;
  const randomString = () => (chance(0.5) ? pick(HOSTILE) : Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => String.fromCharCode(Math.floor(rnd() * 0xffff))).join(''));

  /** Any JSON value, to send where another type is wanted. */
  function anyValue(depth = 0): unknown {
    switch (Math.floor(rnd() * (depth > 2 ? 5 : 7))) {
      case 0: return null;
      case 1: return pick(INTS);
      case 2: return pick(FLOATS);
      case 3: return randomString();
      case 4: return chance(0.5);
      case 5: return Array.from({ length: Math.floor(rnd() * 4) }, () => anyValue(depth + 1));
      default: return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [randomString().slice(0, 12), anyValue(depth + 1)]));
    }
  }
  const maybe = <T>(valid: () => T, p = 0.7) => (chance(p) ? valid() : anyValue());
  const int = () => maybe(() => pick(INTS));
  const month = () => maybe(() => pick(MONTHS));
  const dashboard = () => maybe(() => pick(['KPI', 'VOLUME', 'REVENUE', 'INFRASTRUCTURE', 'kpi', 'ALL']));
  const apiKey = () => pick([`${Math.floor(rnd() * 99)}|fuzzsecret${Math.floor(rnd() * 1e9)}abcdef`, 'short', randomString()]);
  const clientInput = () => maybe(() => Object.fromEntries(Object.entries({
    workspaceId: int(), name: maybe(randomString), displayName: maybe(randomString), active: maybe(() => chance(0.5)),
    billingType: maybe(() => pick(['PER_LEAD', 'RETAINER', 'FREE'])), pricePerLead: maybe(() => pick(FLOATS)), retainerAmount: maybe(() => pick(FLOATS)),
    monthlyKpiTarget: int(), monthlySendingTarget: int(), dailySendingTarget: int(), apiKey: maybe(apiKey), instanceUrl: maybe(randomString),
  }).filter(() => chance(0.6))));

  const templates: Array<() => FuzzCase> = [
    () => ({ query: 'query($m: String) { revenue(month: $m) { month totals { revenue } } }', variables: { m: month() } }),
    () => ({ query: `{ revenue(month: ${JSON.stringify(String(pick([...MONTHS, ...HOSTILE])))}) { month } }` }),
    () => ({
      query: 'query($f: Int, $a: String, $flt: MailboxFilter) { infrastructure { mailboxes(first: $f, after: $a, filter: $flt) { totalCount edges { cursor } } } }',
      variables: {
        f: int(), a: maybe(() => pick([randomString(), Buffer.from(randomString()).toString('base64'), 'YXJyYXljb25uZWN0aW9uOjEw'])),
        flt: maybe(() => ({ workspaceId: int(), minSent: int(), maxReplyRate: maybe(() => pick(FLOATS)), provider: maybe(randomString), status: maybe(() => pick(['CONNECTED', 'GONE'])) })),
      },
    }),
    () => ({ query: `{ infrastructure { mailboxes(first: ${pick(INTS)}) { totalCount } } }` }),
    () => ({ query: 'mutation($d: DashboardKind!, $w: Int) { refresh(dashboard: $d, workspaceId: $w) { state } }', variables: { d: dashboard(), w: int() } }),
    () => ({ query: 'mutation($r: Role!, $w: Int, $l: String) { createApiToken(role: $r, workspaceId: $w, label: $l) }', variables: { r: maybe(() => pick(['ADMIN', 'CLIENT', 'ROOT'])), w: int(), l: maybe(randomString) } }),
    () => ({ query: 'mutation($i: ClientInput!) { upsertClient(input: $i) { workspaceId hasApiKey } }', variables: { i: clientInput() } }),
    () => ({
      query: 'mutation($w: Int!, $m: String!, $a: Float!, $n: String) { setMonthlyCost(workspaceId: $w, month: $m, amount: $a, note: $n) { month } }',
      variables: { w: int(), m: month(), a: maybe(() => pick(FLOATS)), n: maybe(randomString) },
    }),
    () => ({
      query: 'mutation($id: Int!, $p: Float, $d: Int, $n: String) { setMailboxOverride(senderEmailId: $id, price: $p, dailyLimit: $d, note: $n) { senderEmailId } }',
      variables: { id: int(), p: maybe(() => pick(FLOATS)), d: int(), n: maybe(randomString) },
    }),
    () => ({ query: 'mutation($id: Int!) { revokeApiToken(id: $id) }', variables: { id: maybe(() => pick([-1, 0, 999_999])) } }),
    () => ({ query: 'mutation($w: Int!) { deactivateClient(workspaceId: $w) { active } }', variables: { w: maybe(() => pick([-1, 0, 999_999, 2147483647])) } }),
    () => ({ query: 'mutation($d: DashboardKind) { clearCache(dashboard: $d) }', variables: { d: maybe(() => pick(['KPI', 'SOMETHING'])) } }),
    // Garbage documents and wrong shapes of the request itself.
    () => ({ query: randomString() }),
    () => ({ query: `{ kpi { ${randomString().replace(/[{}]/g, '')} } }` }),
    () => ({ query: anyValue() as string, variables: anyValue() as Record<string, unknown> }),
  ];
  return Array.from({ length: count }, () => pick(templates)());
}
