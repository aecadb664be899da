/** Errors a client caused: a GraphQL error with a stable code, never a stack or internals. */
import { GraphQLError } from 'graphql';

/** "Invalid first: may be at most 1000, got 100000": BAD_USER_INPUT naming the argument. */
export function inputError(argument: string, message: string): GraphQLError {
  return new GraphQLError(`Invalid ${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export function badInput(argument: string, message: string): never {
  throw inputError(argument, message);
}

/** The values an Int argument accepts, declared on the argument (`extensions.range`) and checked before execution. */
export interface ArgumentRange {
  min?: number;
  max?: number;
}

/** The error for a value outside its argument's range, or null when it is inside. */
export function outOfRange(argument: string, value: number, range: ArgumentRange): GraphQLError | null {
  if (range.max !== undefined && value > range.max) return inputError(argument, `may be at most ${range.max}, got ${value}`);
  if (range.min !== undefined && value < range.min) return inputError(argument, `may not be less than ${range.min}, got ${value}`);
  return null;
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
