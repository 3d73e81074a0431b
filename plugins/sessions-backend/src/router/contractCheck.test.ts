import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import request from 'supertest';
import { createSpecRouter } from './contractCheck';

/** A contract of two routes, smaller than the plugin's, to break on purpose. */
const spec = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  paths: {
    '/things': {
      get: {
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 10 },
          },
        ],
        responses: {
          '200': {
            description: 'the things',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['items'],
                  properties: {
                    items: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
          default: { $ref: '#/components/responses/Error' },
        },
      },
      post: {
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string', maxLength: 5 } },
              },
            },
          },
        },
        responses: {
          '204': { description: 'made' },
          default: { $ref: '#/components/responses/Error' },
        },
      },
    },
  },
  components: {
    responses: {
      Error: {
        description: 'an error',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['error'],
              properties: { error: { type: 'object' } },
            },
          },
        },
      },
    },
  },
} as const;

/**
 * An app whose handlers answer what each test says, so the contract check
 * sees a router that disagrees with its spec.
 */
function appAnswering(things: unknown, acceptName: (name: unknown) => boolean) {
  const logger = mockServices.logger.mock();
  const router = createSpecRouter(spec, {
    bodyParser: express.json(),
    checkContract: true,
    logger,
  });
  router.get('/things', (_req, res) => {
    res.json(things);
  });
  router.post('/things', (req, res) => {
    if (!acceptName(req.body?.name)) {
      throw new InputError('body.name: the name is refused');
    }
    res.status(204).end();
  });
  const app = express();
  app.use(router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger,
    }).error(),
  );
  return { app, logger };
}

describe('the API contract check', () => {
  it('lets through what agrees with the spec', async () => {
    const { app, logger } = appAnswering({ items: ['a'] }, () => true);
    const listed = await request(app).get('/things?limit=3');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: ['a'] });
    expect(
      (await request(app).post('/things').send({ name: 'ok' })).status,
    ).toBe(204);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('answers 500 naming the field when a response disagrees with the spec', async () => {
    const { app, logger } = appAnswering(
      { items: ['a'], extra: 1 },
      () => true,
    );
    const listed = await request(app).get('/things');
    expect(listed.status).toBe(500);
    expect(listed.body.error.message).toMatch(
      /the response to GET \/things disagrees with the OpenAPI spec: .*additional properties/,
    );
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('disagrees with the OpenAPI spec'),
    );
  });

  it('answers 500 when the router accepts a request the spec refuses', async () => {
    const { app, logger } = appAnswering({ items: [] }, () => true);
    const made = await request(app)
      .post('/things')
      .send({ name: 'far too long' });
    expect(made.status).toBe(500);
    expect(made.body.error.message).toMatch(
      /POST \/things was accepted but disagrees with the OpenAPI spec: .*name/,
    );
    expect(logger.error).toHaveBeenCalled();
    const listed = await request(app).get('/things?limit=99');
    expect(listed.status).toBe(500);
    expect(listed.body.error.message).toMatch(/limit/);
  });

  it("keeps the router's own 400 for a request both refuse", async () => {
    const { app, logger } = appAnswering({ items: [] }, () => false);
    const made = await request(app)
      .post('/things')
      .send({ name: 'far too long' });
    expect(made.status).toBe(400);
    expect(made.body.error.message).toBe('body.name: the name is refused');
    expect(logger.error).not.toHaveBeenCalled();
  });
});
