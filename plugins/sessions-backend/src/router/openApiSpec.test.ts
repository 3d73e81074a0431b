import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import request from 'supertest';
import { testConfigFactory } from '../__testUtils__/connectorSources';
import { CONNECTOR, as } from '../__testUtils__/credentials';
import { servedRoutes } from '../__testUtils__/servedRoutes';
import { sessionsPlugin } from '../plugin';
import { spec as generated } from '../schema/openapi.generated';

/** The spec, read as any OpenAPI document. */
const spec: any = generated;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `METHOD /path` of every operation in the spec, in Express's path syntax. */
function specRoutes(): string[] {
  return Object.entries(spec.paths as Record<string, any>).flatMap(
    ([path, item]) =>
      METHODS.filter(method => method in item).map(
        method =>
          `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
  );
}

function operations() {
  return Object.entries(spec.paths as Record<string, any>).flatMap(
    ([path, item]) =>
      METHODS.filter(method => method in item).map(method => ({
        route: `${method.toUpperCase()} ${path}`,
        path,
        operation: (item as any)[method],
      })),
  );
}

describe('the OpenAPI spec', () => {
  it('describes every route the router serves, and nothing else', () => {
    const served = [...new Set(servedRoutes())]
      .filter(route => route !== 'GET /openapi.json')
      .sort();
    expect(specRoutes().sort()).toEqual(served);
  });

  it('is what openapi.yaml says (npm run openapi writes the copy)', () => {
    const source = parse(
      readFileSync(join(__dirname, '../schema/openapi.yaml'), 'utf8'),
    );
    expect(spec).toEqual(source);
  });

  it('names each operation and its errors, and whose credentials it takes', () => {
    const ids = new Set<string>();
    for (const { route, path, operation } of operations()) {
      expect({ route, operationId: operation.operationId }).toEqual({
        route,
        operationId: expect.stringMatching(/^[a-z][A-Za-z]+$/),
      });
      ids.add(operation.operationId);
      // A connector speaks with service credentials, a person with theirs.
      const schemes = (operation.security ?? spec.security ?? []).flatMap(
        (requirement: object) => Object.keys(requirement),
      );
      let expected = ['userToken'];
      if (path.startsWith('/connector/')) expected = ['serviceToken'];
      if (path === '/health') expected = [];
      expect({ route, schemes }).toEqual({ route, schemes: expected });
      // Any error answer is described, so clients can read its message.
      expect({ route, default: 'default' in operation.responses }).toEqual({
        route,
        default: true,
      });
    }
    expect(ids.size).toBe(operations().length);
  });

  it('is served at /api/sessions/openapi.json to any caller with credentials', async () => {
    const { server } = await startTestBackend({
      features: [
        sessionsPlugin,
        testConfigFactory(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const fetchSpec = (who?: string) => {
      const call = request(server).get('/api/sessions/openapi.json');
      return who ? call.set('Authorization', who) : call;
    };
    expect((await fetchSpec()).status).toBe(401);
    // A connector reads it as well as a person.
    expect((await fetchSpec(CONNECTOR)).status).toBe(200);
    const served = await fetchSpec(as('user:default/jane'));
    expect(served.status).toBe(200);
    expect(served.body.info.title).toBe(spec.info.title);
    // The mount path is prepended, so the spec works from the portal's root.
    expect(Object.keys(served.body.paths).sort()).toEqual(
      Object.keys(spec.paths)
        .map(path => `/api/sessions${path}`)
        .sort(),
    );
  });
});
