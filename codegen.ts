/**
 * GraphQL Code Generator: `npm run codegen` writes
 * - schema.graphql: the public contract, printed from the Pothos schema (sorted; a test fails when
 *   the committed file differs from what the code builds), and
 * - src/generated/operations.ts: typed documents for the example operations in operations/.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { printContract } from './src/schema';

const sdl = printContract();

const config: CodegenConfig = {
  schema: sdl,
  documents: ['operations/**/*.graphql'],
  generates: {
    'schema.graphql': { plugins: ['schema-ast'], config: { includeDirectives: false, sort: true } },
    'src/generated/operations.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { scalars: { DateTime: 'string' }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
