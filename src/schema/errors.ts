/** Errors a client caused: a GraphQL error with a stable code, never a stack or internals. */
import { GraphQLError } from 'graphql';

export function badInput(argument: string, message: string): never {
  throw new GraphQLError(`Invalid ${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export function forbidden(message: string): never {
  throw new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}
