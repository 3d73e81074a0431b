import { LoggerService } from '@backstage/backend-plugin-api';
import { RequestHandler, Response, Router } from 'express';
import PromiseRouter from 'express-promise-router';
import { middleware as openApiValidator } from 'express-openapi-validator';

/** The spec as a constant (`schema/openapi.generated.ts`). */
type Spec = object;

/** Options of both validators: routes by the router's own path, no auth. */
const common = {
  ignoreUndocumented: true,
  useRequestUrl: true,
  validateSecurity: false,
} as const;

/**
 * Whether a request is one the spec describes, asked of a copy of the
 * request so the validator's coercions never reach the router (its zod
 * schemas parse the raw input and name the field in their 400s).
 */
function requestChecker(spec: Spec) {
  const handlers = openApiValidator({
    ...common,
    apiSpec: spec as any,
    validateRequests: { allowUnknownQueryParameters: false },
    validateResponses: false,
  });
  return (req: Parameters<RequestHandler>[0], res: Response) =>
    new Promise<Error | undefined>(resolve => {
      const copy = Object.create(req);
      for (const [key, value] of Object.entries({
        query: structuredClone({ ...req.query }),
        body: req.body === undefined ? undefined : structuredClone(req.body),
        params: {},
        openapi: undefined,
      })) {
        Object.defineProperty(copy, key, { value, writable: true });
      }
      let index = 0;
      const next = (error?: unknown) => {
        if (error || index === handlers.length) {
          resolve(error as Error | undefined);
          return;
        }
        try {
          (handlers[index++] as RequestHandler)(copy, res, next);
        } catch (thrown) {
          resolve(thrown as Error);
        }
      };
      next();
    });
}

/**
 * Answers 500 in place of a success the spec does not allow: the router
 * took a request the published contract refuses.
 */
function refuseSuccess(res: Response, message: string, refused: () => void) {
  const { end } = res;
  res.end = function endChecked(this: Response, ...args: any[]) {
    if (!res.headersSent && res.statusCode < 400) {
      refused();
      res.statusCode = 500;
      res.removeHeader('Content-Length');
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      const body = JSON.stringify({
        error: { name: 'ContractError', message },
        response: { statusCode: 500 },
      });
      return end.call(res, body, 'utf8') as Response;
    }
    return end.apply(res, args as any) as Response;
  } as Response['end'];
}

/** A request the router accepts must be one the spec describes. */
function requestContractCheck(
  spec: Spec,
  logger?: LoggerService,
): RequestHandler {
  const check = requestChecker(spec);
  return async (req, res, next) => {
    const refused = await check(req, res);
    if (refused) {
      const message = `${req.method} ${req.path} was accepted but disagrees with the OpenAPI spec: ${refused.message}`;
      refuseSuccess(res, message, () => logger?.error(message));
    }
    next();
  };
}

/**
 * Every JSON answer against the spec: a disagreement is logged and thrown,
 * so the error handler answers 500 naming it.
 */
function responseContractCheck(spec: Spec, logger?: LoggerService) {
  return openApiValidator({
    ...common,
    apiSpec: spec as any,
    validateRequests: false,
    validateResponses: {
      onError(
        error: Error,
        _body: unknown,
        req: Parameters<RequestHandler>[0],
      ) {
        const message = `the response to ${req.method} ${req.path} disagrees with the OpenAPI spec: ${error.message}`;
        logger?.error(message);
        throw new Error(message);
      },
    },
  });
}

/**
 * `GET /openapi.json`: the spec with the router's mount path in front of
 * each path (`/api/sessions/sessions`), made once per mount path.
 */
function serveSpec(spec: Spec): RequestHandler {
  const served = new Map<string, object>();
  const { paths } = spec as { paths: Record<string, unknown> };
  return (req, res) => {
    let document = served.get(req.baseUrl);
    if (!document) {
      document = {
        ...spec,
        paths: Object.fromEntries(
          Object.entries(paths).map(([path, item]) => [
            `${req.baseUrl}${path}`,
            item,
          ]),
        ),
      };
      served.set(req.baseUrl, document);
    }
    res.json(document);
  };
}

/**
 * A router that serves its OpenAPI spec at `/openapi.json` and, with
 * `checkContract` (`sessions.checkApiContract`: development and tests),
 * checks traffic against it: a request the routes accept must be one the
 * spec describes, and every JSON answer must match the spec. A disagreement
 * is logged and answered with a 500 naming it, so the test or the browser
 * test that made the call fails. Requests are never refused by the spec:
 * the routes' zod schemas do that, naming the field. Without the check,
 * nothing of the spec runs per request.
 */
export function createSpecRouter(
  spec: Spec,
  options: {
    bodyParser: RequestHandler;
    checkContract: boolean;
    logger?: LoggerService;
  },
): Router {
  const { checkContract, logger } = options;
  const router = PromiseRouter();
  router.use(options.bodyParser);
  if (checkContract) {
    router.use(responseContractCheck(spec, logger));
    router.use(requestContractCheck(spec, logger));
  }
  router.get('/openapi.json', serveSpec(spec));
  return router;
}
