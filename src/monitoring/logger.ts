/**
 * The gateway's logger (pino, JSON lines). Secrets are removed twice: known fields by pino's
 * redaction (`authorization`, `apiKey`, `*.key`, `password`, ...), and secrets embedded in free text
 * (a Postgres URL with a password, a bearer token, an Email Bison `id|secret` token) by scrubbing
 * every string before it is written, because error messages quote such things.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const REDACTED = '[Redacted]';

const SECRET_FIELDS = [
  'authorization', 'Authorization', 'cookie', 'Cookie', 'set-cookie', 'x-api-key', 'x-webhook-secret',
  'apiKey', 'api_key', 'key', 'token', 'accessToken', 'refreshToken', 'secret', 'password', 'passwd',
  'databaseUrl', 'DATABASE_URL', 'redisUrl', 'REDIS_URL', 'webhookUrl', 'alertWebhookUrl', 'ALERT_WEBHOOK_URL',
  'encryptionKey', 'ENCRYPTION_KEY', 'EMAIL_BISON_API_KEY', 'GATEWAY_ADMIN_TOKEN', 'WEBHOOK_SECRET', 'adminToken',
];

// pino paths have no recursive wildcard: cover the field at the top, one level down, and in headers.
const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${quote(f)}`),
  ...SECRET_FIELDS.map((f) => `*.headers.${quote(f)}`),
  ...SECRET_FIELDS.map((f) => `*.*.headers.${quote(f)}`),
].map((p) => (p.includes('.') ? p : quote(p)));

function quote(field: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
}

const TEXT_SECRETS: Array<[RegExp, string]> = [
  // scheme://user:password@host -> scheme://user:[Redacted]@host
  [/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/\s]+@/gi, `$1${REDACTED}@`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=|-]+/g, `$1 ${REDACTED}`],
  // Email Bison / Sanctum tokens: "<id>|<secret>"
  [/\b\d+\|[A-Za-z0-9]{8,}\b/g, REDACTED],
  // Slack incoming webhooks carry their secret in the path
  [/https:\/\/hooks\.slack\.com\/services\/[^\s"']+/g, `https://hooks.slack.com/services/${REDACTED}`],
  [/([?&](?:api_key|apikey|token|key|secret)=)[^&\s"']+/gi, `$1${REDACTED}`],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_SECRETS) out = out.replace(pattern, replacement);
  return out;
}

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > 6 || seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Error) {
    // pino serializes errors itself; give it a copy whose text is scrubbed.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(value)), value) as Error;
    copy.message = scrubText(value.message);
    if (value.stack) copy.stack = scrubText(value.stack);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, depth + 1, seen);
  return out;
}

/**
 * @param level the minimum level written. @default 'info'
 * @param destination where lines go. @default stdout
 */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'bison-gateway' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: { log: (obj) => scrubValue(obj, 0, new WeakSet()) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}

/** A logger that writes nothing: the default inside libraries and tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
