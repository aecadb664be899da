/** Errors a client caused: a GraphQL error with a stable code, never a stack or internals. */
import { GraphQLError } from 'graphql';

export function badInput(argument: string, message: string): never {
  throw new GraphQLError(`Invalid ${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export function forbidden(message: string): never {
  throw new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** The gateway's own database is unreachable: nothing was read or written; worth a retry. */
export function databaseUnavailable(): never {
  throw new GraphQLError('The gateway\'s database is unreachable; nothing was changed. Try again shortly.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
  });
}

/** How much of a bad value an error quotes back: enough to recognise it, never a whole payload. */
export const EXCERPT_LENGTH = 40;

/** A short, JSON-escaped excerpt of what a client sent, for an error message. */
export function excerpt(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
  const more = text.length > EXCERPT_LENGTH ? ` (${text.length} characters)` : '';
  return `${JSON.stringify(cut)}${more}`;
}
