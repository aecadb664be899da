/**
 * A client's mistake gets a stable code (GRAPHQL_PARSE_FAILED, BAD_USER_INPUT,
 * GRAPHQL_VALIDATION_FAILED), and no error message echoes more than a short, escaped excerpt of
 * what the client sent: a 200 KB string in a query, a variable or an argument comes back as its
 * first characters and its length.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** graphql-js's message for a variable it could not coerce: `Variable "$x" got invalid value <value>[ at "x.path"]; <reason>`. */
const COERCION = /^(Variable "\$[^"]+" got invalid value) /;

/** Quoted parts (graphql-js quotes names and values it echoes) longer than this are cut to an excerpt. */
const MAX_QUOTED = 64;
const EXCERPT = 32;
/** Whatever the cause, no message is longer than this. */
const MAX_MESSAGE = 500;

/** The text inside quotes as it was sent (graphql-js quotes values JSON-style), else as it stands. */
function unquoted(inner: string): string {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner;
  }
}

/** `"xxxx…" (N characters)`: the start, JSON-escaped, and the length of what was sent. */
function excerpt(inner: string): string {
  const text = unquoted(inner);
  return `${JSON.stringify(text.slice(0, EXCERPT)).slice(0, -1)}…" (${text.length} characters)`;
}

/** The message with every long quoted part, and the message itself, cut to an escaped excerpt. */
export function boundEcho(message: string): string {
  const bounded = message.replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, inner: string) => (inner.length > MAX_QUOTED ? excerpt(inner) : quoted));
  return bounded.length > MAX_MESSAGE ? `${bounded.slice(0, MAX_MESSAGE)}… (message cut at ${MAX_MESSAGE} characters)` : bounded;
}

/**
 * graphql-js gives a client mistake no code: parse errors, variables of the wrong type and
 * validation errors get one here. A coercion message also loses the echoed value, which may be a
 * whole ClientInput with its api key: the path and the reason stay.
 */
function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code || error.path) return error;
  const coercion = COERCION.exec(error.message);
  let message = error.message;
  let code = 'GRAPHQL_VALIDATION_FAILED';
  if (/^Syntax Error/.test(message)) code = 'GRAPHQL_PARSE_FAILED';
  else if (/^Variable "\$[^"]+" of (non-null|required) type/.test(message)) code = 'BAD_USER_INPUT';
  else if (coercion) {
    code = 'BAD_USER_INPUT';
    const reason = error.originalError?.message ?? 'not of the declared type';
    const head = reason && message.endsWith(`; ${reason}`) ? message.slice(0, -reason.length - 2) : message;
    const at = / at ("[^"]*")$/.exec(head);
    message = `${coercion[1]}${at ? ` at ${at[1]}` : ''}; ${reason}`;
  }
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

/** The same error with its message bounded (unchanged when nothing needed cutting). */
function bounded(error: GraphQLError): GraphQLError {
  const message = boundEcho(error.message);
  if (message === error.message) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: error.extensions });
}

export function useClientErrorCodes(): Plugin {
  type Result = { errors?: readonly GraphQLError[] };
  const coded = (r: Result) => (r.errors?.length ? { ...r, errors: r.errors.map((e) => (e instanceof GraphQLError ? bounded(withCode(e)) : e)) } : r);
  return {
    onResultProcess({ result, setResult }) {
      if (Symbol.asyncIterator in result) return; // subscription events carry execution errors only
      setResult((Array.isArray(result) ? result.map(coded) : coded(result as Result)) as typeof result);
    },
  };
}
