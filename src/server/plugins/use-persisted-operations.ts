/**
 * Persisted operations: clients send an id instead of a document; with `only`, nothing else is
 * accepted. The manifest is a JSON object of id -> document (codegen writes one from operations/).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { z } from 'zod';

const manifestSchema = z.record(z.string().min(1), z.string().min(1));

/** Persisted operations by id: a JSON object `{ "<id>": "<document>" }`; the sha256 of each document is an id too. */
export function loadPersistedOperations(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`PERSISTED_OPERATIONS_FILE: cannot read ${file} as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const manifest = manifestSchema.safeParse(parsed);
  if (!manifest.success) throw new Error(`PERSISTED_OPERATIONS_FILE: ${file} wants a JSON object of id -> GraphQL document`);
  const operations = new Map<string, string>();
  for (const [id, document] of Object.entries(manifest.data)) {
    operations.set(id, document);
    operations.set(sha256(document), document);
  }
  return operations;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function persistedError(message: string, code: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/**
 * Lets clients send `{ "documentId": "<id>" }` (GraphQL over HTTP) or Apollo's
 * `extensions.persistedQuery.sha256Hash` instead of a document. With `only`, any other document
 * is refused: the gateway then runs exactly the operations its dashboards were built with.
 */
export function usePersistedOperations(options: { operations: Map<string, string>; only: boolean }): Plugin {
  return {
    onParams({ params, setParams }) {
      const raw = params as typeof params & { documentId?: unknown };
      const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
      const id = raw.documentId ?? persisted?.sha256Hash;
      if (id != null) {
        const document = typeof id === 'string' ? options.operations.get(id) : undefined;
        if (!document) throw persistedError('PersistedQueryNotFound: no persisted operation with this id', 'PERSISTED_QUERY_NOT_FOUND', 400);
        const { documentId: _dropped, ...rest } = raw;
        setParams({ ...rest, query: document });
        return;
      }
      if (options.only) {
        throw persistedError('Only persisted operations are accepted: send documentId instead of a query', 'PERSISTED_QUERY_ONLY', 400);
      }
    },
  };
}
