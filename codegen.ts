/**
 * GraphQL Code Generator: `npm run codegen` writes
 * - schema.graphql: the public contract, printed from the Pothos schema (sorted; a test fails when
 *   the committed file differs from what the code builds), and
 * - src/generated/operations.ts: typed documents for the example operations in operations/.
 *
 * It drives @graphql-codegen/core and the plugins directly: the CLI's schema and document loaders
 * (URL, GitHub, Apollo Engine) are not needed for a schema built in-process and a folder of
 * .graphql files, and they pull in packages that want Node >= 22.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import type { CodegenPlugin, Types } from '@graphql-codegen/plugin-helpers';
import * as schemaAst from '@graphql-codegen/schema-ast';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { parse } from 'graphql';
import { printContract, schema } from './src/schema';

const root = fileURLToPath(new URL('.', import.meta.url));

interface Output {
  filename: string;
  plugins: Types.ConfiguredPlugin[];
  config: Record<string, unknown>;
}

const outputs: Output[] = [
  { filename: 'schema.graphql', plugins: [{ 'schema-ast': {} }], config: { includeDirectives: false, sort: true } },
  {
    filename: 'src/generated/operations.ts',
    plugins: [{ 'typescript-operations': {} }, { 'typed-document-node': {} }],
    config: { scalars: { DateTime: 'string' }, enumsAsTypes: true, useTypeImports: true },
  },
];

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

async function main(): Promise<void> {
  const documents = await operationDocuments(join(root, 'operations'));
  const sdl = parse(printContract());
  for (const output of outputs) {
    const content = await codegen({ ...output, schema: sdl, schemaAst: schema, documents, pluginMap });
    await writeFile(join(root, output.filename), content);
    process.stdout.write(`wrote ${output.filename}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`codegen failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
