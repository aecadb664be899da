/** The GraphQL schema: each domain file adds its types and fields to the builder. */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder';
import './freshness';
import './kpi';
import './volume';
import './revenue';
import './infrastructure';
import './workspace';
import './client';
import './token';
import './cache';
import './health';

export const schema = builder.toSchema();

/** The public contract as SDL, sorted so that the committed `schema.graphql` diff reads well. */
export function printContract(): string {
  return printSchema(lexicographicSortSchema(schema));
}
