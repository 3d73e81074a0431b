import { InputError } from '@backstage/errors';
import { noInputSchema } from '@active-sessions/plugin-sessions-common';
import { Request } from 'express';
import { z } from 'zod';

/**
 * Parses request input with a shared schema. Failures become a 400 whose
 * message names each offending field, e.g. `query.limit: Too big`.
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  part: 'query' | 'body' | 'params',
): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(issue => {
    const unknownKeys =
      issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined;
    const field = [part, ...issue.path.map(String)].join('.');
    return unknownKeys
      ? `${field}: unknown field(s) ${unknownKeys}`
      : `${field}: ${issue.message}`;
  });
  throw new InputError(`Invalid request, ${problems.join('; ')}`);
}

/**
 * For a route that takes nothing in its query (or body): whatever is sent
 * there is refused as unknown fields, as on routes that take input.
 */
export function noInput(req: Request, ...parts: Array<'query' | 'body'>) {
  for (const part of parts) parseInput(noInputSchema, req[part], part);
}
