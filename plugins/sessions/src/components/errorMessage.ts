import { ResponseError } from '@backstage/errors';

/**
 * The message worth showing a person: for a failed backend call that is the
 * server's own explanation, not "Request failed with 500".
 */
export function errorMessage(error: Error): string {
  if (ResponseError.is(error) && error.cause?.message) {
    return error.cause.message;
  }
  return error.message;
}
