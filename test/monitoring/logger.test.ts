import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED } from '../../src/monitoring/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('debug', stream);
  return { logger, text: () => lines.join('\n'), json: () => lines.map((l) => JSON.parse(l)) };
}

describe('logger redaction', () => {
  it('redacts secret fields at the top, one level down and in headers', () => {
    const { logger, json, text } = capture();
    logger.info(
      {
        apiKey: '12|abcdefghijkl',
        password: 'hunter2-password',
        client: { key: 'k-secret-value', name: 'Acme' },
        req: { headers: { authorization: 'Bearer tok-secret-123', cookie: 'session=cookie-secret' } },
        DATABASE_URL: 'postgres://u:db-secret@db:5432/x',
      },
      'request',
    );
    const [line] = json();
    expect(line.apiKey).toBe(REDACTED);
    expect(line.password).toBe(REDACTED);
    expect(line.client.key).toBe(REDACTED);
    expect(line.client.name).toBe('Acme');
    expect(line.req.headers.authorization).toBe(REDACTED);
    expect(line.req.headers.cookie).toBe(REDACTED);
    expect(line.DATABASE_URL).toBe(REDACTED);
    for (const secret of ['abcdefghijkl', 'hunter2', 'k-secret-value', 'tok-secret-123', 'cookie-secret', 'db-secret']) {
      expect(text()).not.toContain(secret);
    }
  });

  it('scrubs secrets embedded in messages, strings and errors', () => {
    const { logger, text, json } = capture();
    logger.warn({ url: 'postgresql://admin:pg-pass-9@10.0.0.1/prod' }, 'connect to postgres://admin:pg-pass-9@10.0.0.1/prod failed');
    logger.error({ err: new Error('upstream rejected Bearer 7|SuperSecretToken99 at https://x.test/api?api_key=qs-secret') }, 'boom');
    const out = text();
    expect(out).not.toContain('pg-pass-9');
    expect(out).not.toContain('SuperSecretToken99');
    expect(out).not.toContain('qs-secret');
    const [first, second] = json();
    expect(first.msg).toBe(`connect to postgres://admin:${REDACTED}@10.0.0.1/prod failed`);
    expect(first.url).toBe(`postgresql://admin:${REDACTED}@10.0.0.1/prod`);
    expect(second.err.message).toContain(REDACTED);
    expect(second.err.type).toBe('Error');
  });

  it('respects the level', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', new Writable({ write: (c, _e, d) => (lines.push(String(c)), d()) }));
    logger.info('quiet');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('loud');
  });
});
