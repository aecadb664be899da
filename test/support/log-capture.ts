/** A logger that keeps what it writes: each line as written (`text`) and parsed (`lines`). */
import { Writable } from 'node:stream';
import { createLogger } from '../../src/monitoring/logger';
import type { LogLevel } from '../../src/monitoring/logger';

export function captureLog(level: LogLevel = 'info') {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { logger: createLogger(level, stream), lines, text: () => raw.join('\n') };
}
