import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { pluginTokenHandlerDecoratorServiceRef } from '@backstage/backend-defaults/auth';
import { signOutRegistryServiceRef } from './signOutRegistry';

/**
 * Puts Active Sessions' sign-outs in every plugin's token path: each
 * incoming user token (and the limited user token inside an on-behalf-of
 * plugin token) is checked against the sign-out registry before it is
 * verified, and a token whose sign-in waits for its authenticator code is
 * refused. Add it to the backend next to the sessions plugin.
 *
 * @public
 */
export const sessionsTokenCheckServiceFactory = createServiceFactory({
  service: pluginTokenHandlerDecoratorServiceRef,
  deps: {
    registry: signOutRegistryServiceRef,
    plugin: coreServices.pluginMetadata,
  },
  factory: ({ registry, plugin }) => {
    // Only the sessions plugin takes a token whose sign-in waits for its
    // code, for the code screen's routes (it refuses it on the others).
    const allowAwaitingCode = plugin.getId() === 'sessions';
    return handler => ({
      async verifyToken(token) {
        registry.check(token, { allowAwaitingCode });
        const result = await handler.verifyToken(token);
        if (result?.limitedUserToken) registry.check(result.limitedUserToken);
        return result;
      },
      issueToken: options => handler.issueToken(options),
    });
  },
});
