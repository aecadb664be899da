/** How the request-limit plugins refuse a document: BAD_USER_INPUT naming the limit, HTTP 400. */
import { GraphQLError } from 'graphql';

export type Limit = 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost';

/** A refused document: BAD_USER_INPUT naming the limit; armor's "Syntax Error:" prefix is misleading. */
export function limitError(limit: Limit, armorError: GraphQLError): GraphQLError {
  return new GraphQLError(armorError.message.replace(/^Syntax Error:\s*/, ''), {
    extensions: { code: 'BAD_USER_INPUT', limit, http: { status: 400 } },
  });
}
