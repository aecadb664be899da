/** `GET /`: browsers go to GraphiQL, other clients read where things are; no token needed, nothing else answered there. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';

describe('GET /', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 2, mailboxes: 10 } });
  });
  afterAll(() => t?.close());

  it('redirects a browser to GraphiQL, which renders there', async () => {
    const res = await t.gateway.fetch('http://gateway.test/', { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphql');
    const graphiql = await t.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain('<title>bison-gateway</title>');
  });

  it('tells curl where GraphQL and the probes are, and each of them answers', async () => {
    const res = await t.gateway.fetch('http://gateway.test/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const paths = ['/graphql', '/health', '/ready', '/metrics'];
    for (const path of paths) expect(text).toContain(path);
    expect(text).toContain('Authorization: Bearer <token>');
    for (const path of paths.slice(1)) expect((await t.gateway.fetch(`http://gateway.test${path}`)).status, path).toBe(200);
    expect((await t.gateway.fetch('http://gateway.test/', { method: 'HEAD' })).status).toBe(200);
  });

  it('answers nothing but GET and HEAD there', async () => {
    expect((await t.gateway.fetch('http://gateway.test/', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await t.gateway.fetch('http://gateway.test/elsewhere')).status).toBe(404);
  });
});
