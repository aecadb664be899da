/**
 * GraphQL Code Generator: `npm run codegen` writes
 * - schema.graphql: the public contract, printed from the Pothos schema (sorted; a test fails when
 *   the committed file differs from what the code builds);
 * - src/generated/operations.ts: typed documents (TypedDocumentNode) for the operations in
 *   operations/, each carrying `__meta__.hash`, its persisted-operation id;
 * - src/generated/persisted-operations.json: the manifest the gateway reads from
 *   PERSISTED_OPERATIONS_FILE, `{ "<sha256 of the document>": "<document>" }`.
 *
 * It drives @graphql-codegen/core and the plugins directly: the CLI's schema and document loaders
 * (URL, GitHub, Apollo Engine) are not needed for a schema built in-process and a folder of
 * .graphql files, and they pull in packages that want Node >= 22. The persisted ids come from the
 * typed-document-node plugin's own hook (the one the client preset's `persistedDocuments` uses),
 * hashing the document exactly as it is printed into the manifest.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import type { CodegenPlugin, Types } from '@graphql-codegen/plugin-helpers';
import * as schemaAst from '@graphql-codegen/schema-ast';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { buildASTSchema, GraphQLSchema, parse, print, type DocumentNode } from 'graphql';
import { printContract, schema } from './src/schema';

const root = fileURLToPath(new URL('.', import.meta.url));

export interface GeneratedFile {
  /** Relative to the repository root. */
  filename: string;
  content: string;
}

/** A persisted operation's id: the sha256 (hex) of its printed document, as the gateway computes it too. */
export const persistedId = (document: string) => createHash('sha256').update(document).digest('hex');

const pluginMap: Record<string, CodegenPlugin> = {
  'schema-ast': schemaAst,
  'typescript-operations': typescriptOperations,
  'typed-document-node': typedDocumentNode,
};

async function operationDocuments(dir: string): Promise<Types.DocumentFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.graphql')).sort();
  return Promise.all(files.map(async (file) => {
    const location = join('operations', file);
    return { location, document: parse(await readFile(join(dir, file), 'utf8')) };
  }));
}

/** Every generated file, as `npm run codegen` writes it (the tests compare them with the committed ones). */
export async function generate(): Promise<GeneratedFile[]> {
  const documents = await operationDocuments(join(root, 'operations'));
  const sdl = parse(printContract());
  // Operations are checked against the contract as Yoga serves it: with @defer and @stream. Built
  // from the SDL, not the Pothos schema, whose enum values are internal (MailboxProvider GOOGLE is 'Google').
  const printed = buildASTSchema(sdl);
  const served = new GraphQLSchema({ ...printed.toConfig(), directives: [...printed.getDirectives(), GraphQLDeferDirective, GraphQLStreamDirective] });
  const manifest: Record<string, string> = {};
  const contract = await codegen({
    filename: 'schema.graphql', plugins: [{ 'schema-ast': {} }], config: { includeDirectives: false, sort: true },
    schema: sdl, schemaAst: schema, documents: [], pluginMap,
  });
  const operations = await codegen({
    filename: 'src/generated/operations.ts',
    plugins: [{ 'typescript-operations': {} }, { 'typed-document-node': {} }],
    config: {
      scalars: { DateTime: 'string' },
      enumsAsTypes: true,
      useTypeImports: true,
      unstable_onExecutableDocumentNode: (document: DocumentNode) => {
        const text = print(document);
        const hash = persistedId(text);
        manifest[hash] = text;
        return { hash };
      },
    },
    schema: sdl, schemaAst: served, documents, pluginMap,
  });
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
  return [
    { filename: 'schema.graphql', content: contract },
    { filename: 'src/generated/operations.ts', content: operations },
    { filename: 'src/generated/persisted-operations.json', content: `${JSON.stringify(sorted, null, 2)}\n` },
  ];
}

async function main(): Promise<void> {
  for (const { filename, content } of await generate()) {
    await writeFile(join(root, filename), content);
    process.stdout.write(`wrote ${filename}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`codegen failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
