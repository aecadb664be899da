/**
 * The README and the guides are self-contained: every link points at a file of this repository
 * (a clone has nothing beside it), and the README's curl example says where its token comes from.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = ['README.md', 'bench/README.md', 'src/monitoring/README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)];

describe('documentation', () => {
  it.each(DOCS)('%s links only to files of the repository', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    const outside = targets.filter((target) => {
      if (/^[a-z]+:/i.test(target)) return true; // http:, https:, file: ...
      const path = resolve(dirname(join(ROOT, doc)), target.split('#')[0]);
      return relative(ROOT, path).startsWith('..') || !existsSync(path);
    });
    expect(outside).toEqual([]);
  });

  it('the README says where the token of its curl example comes from', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const first = readme.indexOf('Bearer $TOKEN');
    expect(first).toBeGreaterThan(0);
    const before = readme.slice(Math.max(0, first - 600), first);
    expect(before).toMatch(/TOKEN=/);
    expect(before).toMatch(/banner/);
    expect(before).toMatch(/GATEWAY_ADMIN_TOKEN/);
  });
});
