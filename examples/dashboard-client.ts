/**
 * A typed client of bison-gateway, written the way an app would write one (docs/CLIENTS.md):
 * graphql-request with the TypedDocumentNodes `npm run codegen` writes to
 * src/generated/operations.ts, a subscription and a streamed query (@stream, @defer) over
 * Server-Sent Events with graphql-sse, and a persisted operation sent by its id.
 *
 *   GATEWAY_URL=http://127.0.0.1:4000/graphql GATEWAY_TOKEN=<token> npx tsx examples/dashboard-client.ts
 *
 * The demo start (`npm start` with nothing configured) prints a token; otherwise use
 * GATEWAY_ADMIN_TOKEN or a token from issueApiToken.
 */
import { pathToFileURL } from 'node:url';
import { print, type DocumentNode } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { createClient } from 'graphql-sse';
import {
  FreshnessChangedDocument,
  InfrastructureDashboardDocument,
  KpiDashboardDocument,
  KpiStreamedDocument,
  type FreshnessChangedSubscription,
  type KpiDashboardQuery,
  type KpiStreamedQuery,
} from '../src/generated/operations';

export interface ExampleOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** A bearer token (ADMIN or CLIENT). */
  token: string;
}

export interface ExampleReport {
  clients: number;
  leadsGenerated: number;
  /** Names of the clients below their KPI at the current pace. */
  below: string[];
  googleMailboxes: number;
  firstMailboxes: string[];
  /** The first freshness event of the KPI dashboard, over SSE. */
  firstEvent: FreshnessChangedSubscription['freshnessChanged'];
  /** KPI rows as they streamed in (@stream), and the totals deferred after them (@defer). */
  streamedRows: KpiStreamedQuery['kpiStream'];
  deferredClients: number | null;
  /** The KPI totals again, fetched as a persisted operation (by id, no query text sent). */
  persistedClients: number | null;
}

/** The persisted-operation id codegen put on a generated document (`__meta__.hash`). */
export function persistedIdOf(document: DocumentNode): string {
  const id = (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!id) throw new Error('this document has no persisted id: regenerate it with `npm run codegen`');
  return id;
}

interface IncrementalPayload {
  data?: Partial<KpiStreamedQuery> | null;
  incremental?: { items?: KpiStreamedQuery['kpiStream']; data?: Partial<KpiStreamedQuery>; path: (string | number)[] }[];
  errors?: unknown[];
}

/** Runs KpiStreamed and merges its parts: rows from `@stream`, the totals from `@defer`. */
async function streamKpi(sse: ReturnType<typeof createClient>): Promise<{ rows: KpiStreamedQuery['kpiStream']; deferredClients: number | null }> {
  const rows: KpiStreamedQuery['kpiStream'] = [];
  let deferredClients: number | null = null;
  for await (const part of sse.iterate({ query: print(KpiStreamedDocument) }) as AsyncIterable<IncrementalPayload>) {
    if (part.errors) throw new Error(`KpiStreamed failed: ${JSON.stringify(part.errors)}`);
    rows.push(...(part.data?.kpiStream ?? []));
    for (const chunk of part.incremental ?? []) {
      rows.push(...(chunk.items ?? []));
      if (chunk.data?.kpi) deferredClients = chunk.data.kpi.totals.clients;
    }
  }
  return { rows, deferredClients };
}

export async function run({ url, token }: ExampleOptions): Promise<ExampleReport> {
  const headers = { authorization: `Bearer ${token}` };
  const client = new GraphQLClient(url, { headers });

  // Typed end to end: `kpi` is KpiDashboardQuery['kpi'], `status` the KpiStatus union.
  const { kpi } = await client.request(KpiDashboardDocument);
  const below = kpi.clients.filter((row) => row.status === 'BELOW').map((row) => row.name);

  // Variables are typed too: `providers` takes MailboxProvider values only.
  const { infrastructure } = await client.request(InfrastructureDashboardDocument, { first: 3, filter: { providers: ['GOOGLE'] } });
  const page = infrastructure.mailboxes;

  // A subscription over SSE: the current value arrives first, so one event is enough here.
  const sse = createClient({ url, headers });
  const events = sse.iterate<FreshnessChangedSubscription>({ query: print(FreshnessChangedDocument), variables: { dashboard: 'KPI' } });
  let firstEvent: FreshnessChangedSubscription['freshnessChanged'];
  try {
    const { value } = await events.next();
    if (!value?.data) throw new Error(`no freshness event: ${JSON.stringify(value?.errors ?? value)}`);
    firstEvent = value.data.freshnessChanged;
  } finally {
    await events.return?.();
  }

  // @stream and @defer over SSE: the first payload has an empty list, each next one adds rows
  // (`items` at a `path`) or the deferred part (`data` at a `path`), until `hasNext` is false.
  const { rows: streamedRows, deferredClients } = await streamKpi(sse);
  sse.dispose();

  // A persisted operation: only its id travels (the gateway must have PERSISTED_OPERATIONS_FILE).
  const persisted = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ documentId: persistedIdOf(KpiDashboardDocument) }),
  });
  const persistedBody = (await persisted.json()) as { data?: KpiDashboardQuery };

  return {
    clients: kpi.totals.clients,
    leadsGenerated: kpi.totals.leadsGenerated,
    below,
    googleMailboxes: page?.totalCount ?? 0,
    firstMailboxes: page?.edges.map((edge) => `${edge.node.email} (${edge.node.provider}, $${edge.node.price}/month)`) ?? [],
    firstEvent,
    streamedRows,
    deferredClients,
    persistedClients: persistedBody.data?.kpi.totals.clients ?? null,
  };
}

async function main(): Promise<void> {
  const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
  const token = process.env.GATEWAY_TOKEN;
  if (!token) throw new Error('GATEWAY_TOKEN is not set: use the token the demo start prints, GATEWAY_ADMIN_TOKEN, or one from issueApiToken');
  const report = await run({ url, token });
  process.stdout.write([
    `${report.clients} clients, ${report.leadsGenerated} interested leads this month; below KPI: ${report.below.join(', ') || 'none'}`,
    `${report.googleMailboxes} Google mailboxes, first: ${report.firstMailboxes.join('; ')}`,
    `KPI freshness now: ${report.firstEvent.freshness.state} (workspace ${report.firstEvent.workspaceId})`,
    `streamed ${report.streamedRows.length} KPI rows, then the deferred totals (${report.deferredClients} clients)`,
    `persisted KpiDashboard: ${report.persistedClients === null ? 'not accepted (is PERSISTED_OPERATIONS_FILE set?)' : `${report.persistedClients} clients`}`,
    '',
  ].join('\n'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
