/**
 * Codegen's output is committed and cannot drift: `generate()` (what `npm run codegen` writes)
 * equals the committed files. Every generated document carries its persisted id, the manifest
 * holds exactly those documents under those ids, a persisted-only gateway runs them by id and
 * refuses anything else, and everything the generated code and the example import is declared in
 * package.json (so `npm ci` installs it).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, persistedId } from '../../codegen';
import * as operations from '../../src/generated/operations';
import { sha256 } from '../../src/server/plugins/use-persisted-operations';
import { ADMIN_TOKEN, createTestGateway, type TestGateway } from '../support/gateway';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const MANIFEST_PATH = new URL('src/generated/persisted-operations.json', ROOT).pathname;

const documents = Object.entries(operations).filter(([name]) => name.endsWith('Document')) as [string, DocumentNode & { __meta__?: { hash?: string } }][];

describe('codegen', () => {
  it('the committed schema.graphql, operations.ts and manifest are what `npm run codegen` writes', async () => {
    const files = await generate();
    expect(files.map((f) => f.filename)).toEqual(['schema.graphql', 'src/generated/operations.ts', 'src/generated/persisted-operations.json']);
    for (const { filename, content } of files) expect(read(filename), `${filename}: run npm run codegen`).toBe(content);
  }, 30_000);

  it('covers a subscription and @stream/@defer among the example operations', () => {
    const names = documents.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['KpiDashboardDocument', 'KpiUpdatedDocument', 'FreshnessChangedDocument', 'KpiStreamedDocument', 'IssueApiTokenDocument']));
    const streamed = print(operations.KpiStreamedDocument);
    expect(streamed).toContain('@stream(initialCount: 0)');
    expect(streamed).toContain('@defer');
  });

  it('gives every document its persisted id, the sha256 of the document the manifest holds under it', () => {
    const manifest = JSON.parse(read('src/generated/persisted-operations.json')) as Record<string, string>;
    expect(documents.length).toBeGreaterThan(5);
    expect(Object.keys(manifest).sort()).toEqual(documents.map(([, d]) => d.__meta__?.hash).sort());
    for (const [name, document] of documents) {
      const text = print(document);
      expect(manifest[document.__meta__!.hash!], name).toBe(text);
      // The same id the gateway computes for a manifest entry, and Apollo's sha256 of the query.
      expect(persistedId(text)).toBe(document.__meta__!.hash);
      expect(sha256(text)).toBe(document.__meta__!.hash);
    }
  });

  it('declares in package.json every package the generated code and the example import', () => {
    const pkg = JSON.parse(read('package.json'));
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
    const packages = new Set<string>();
    for (const file of ['src/generated/operations.ts', 'examples/dashboard-client.ts', 'codegen.ts']) {
      for (const [, spec] of read(file).matchAll(/^import\s.*?from\s+'([^']+)'/gm)) {
        if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
    expect([...packages]).toEqual(expect.arrayContaining(['@graphql-typed-document-node/core', 'graphql-request', 'graphql-sse']));
    expect([...packages].filter((p) => !declared.has(p))).toEqual([]);
  });

  describe('a gateway that accepts persisted operations only', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await createTestGateway({ sim: { workspaces: 2, mailboxes: 10 }, env: { PERSISTED_OPERATIONS_FILE: MANIFEST_PATH, PERSISTED_OPERATIONS_ONLY: 'true' } });
    });
    afterAll(() => t?.close());

    const post = async (body: unknown) => {
      const res = await t.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };

    it('runs a generated document by its id (GraphQL over HTTP documentId, or Apollo\'s persistedQuery hash)', async () => {
      const id = (operations.KpiDashboardDocument as { __meta__?: { hash?: string } }).__meta__!.hash;
      const byId = await post({ documentId: id });
      expect(byId.body.errors).toBeUndefined();
      expect(byId.body.data.kpi.totals.clients).toBeGreaterThan(0);
      const apollo = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
      expect(apollo.body.errors).toBeUndefined();
      expect(apollo.body.data.kpi.totals).toEqual(byId.body.data.kpi.totals);
    });

    it('refuses query text and unknown ids', async () => {
      expect((await post({ query: print(operations.KpiDashboardDocument) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
      expect((await post({ documentId: 'f'.repeat(64) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });
  });
});
