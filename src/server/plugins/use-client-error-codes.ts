/**
 * A client's mistake gets a stable code (GRAPHQL_PARSE_FAILED, BAD_USER_INPUT,
 * GRAPHQL_VALIDATION_FAILED), and a coercion error loses the value it would echo.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** graphql-js's message for a variable it could not coerce: `Variable "$x" got invalid value <value>[ at "x.path"]; <reason>`. */
const COERCION = /^(Variable "\$[^"]+" got invalid value) /;

/**
 * A client's mistake gets a code: GRAPHQL_PARSE_FAILED, BAD_USER_INPUT (a variable of the wrong
 * type) or GRAPHQL_VALIDATION_FAILED; graphql-js gives none. A coercion message loses the echoed
 * value, which may be a whole ClientInput with its api key: the path and the reason stay.
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

export function useClientErrorCodes(): Plugin {
  type Result = { errors?: readonly GraphQLError[] };
  const coded = (r: Result) => (r.errors?.length ? { ...r, errors: r.errors.map((e) => (e instanceof GraphQLError ? withCode(e) : e)) } : r);
  return {
    onResultProcess({ result, setResult }) {
      if (Symbol.asyncIterator in result) return; // subscription events carry execution errors only
      setResult((Array.isArray(result) ? result.map(coded) : coded(result as Result)) as typeof result);
    },
  };
}
