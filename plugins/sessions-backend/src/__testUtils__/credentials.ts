import { mockCredentials } from '@backstage/backend-test-utils';

/** The Authorization header of a signed-in person, for a started test backend. */
export const as = (userRef: string) =>
  `Bearer ${mockCredentials.user.token(userRef)}`;

/** The Authorization header of a connector (service credentials). */
export const CONNECTOR = `Bearer ${mockCredentials.service.token()}`;
