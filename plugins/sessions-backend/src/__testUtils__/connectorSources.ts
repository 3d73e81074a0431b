import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';

/** The subject of `mockCredentials.service()`, which CONNECTOR carries. */
export const TEST_CONNECTOR_SUBJECT = 'external:test-service';

/** The sources the tests report for, each bound to the test connector. */
export const TEST_SOURCES = [
  'bastion',
  'rdp-gateway',
  'rdp-gw',
  'priv-broker',
  'access-requests',
];

/**
 * The root config of a test backend: `sessions` settings merged with the
 * declared test sources, so the connector routes accept the test token.
 */
export function testConfigFactory(
  sessions: JsonObject = {},
  rest: JsonObject = {},
) {
  const connectors = (sessions.connectors ?? {}) as JsonObject;
  const sources = (connectors.sources ?? {}) as JsonObject;
  return mockServices.rootConfig.factory({
    data: {
      ...rest,
      sessions: {
        ...sessions,
        connectors: {
          ...connectors,
          sources: {
            ...Object.fromEntries(
              TEST_SOURCES.map(id => [
                id,
                { subjects: [TEST_CONNECTOR_SUBJECT] },
              ]),
            ),
            ...sources,
          },
        },
      },
    },
  });
}
