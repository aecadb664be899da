/**
 * Whether an error means the database could not be reached or gave up on us (as opposed to a
 * query it refused): connection refused or reset, a connect or query timeout, the server shutting
 * down, too many connections, any SQLSTATE of class 08 (connection exception) or 57 (operator
 * intervention). Callers turn these into "try again shortly" instead of an unexpected error.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES = /timeout exceeded when trying to connect|query read timeout|connection terminated|connection timeout|client has encountered a connection error|cannot use a pool after calling end/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^(08|57|53300)/.test(code))) return true;
  return MESSAGES.test(err.message);
}
