// The connector routes of the portal, with this host's token.

/** `api(path, body?, { timeoutSeconds })`: POST with a body, GET without. */
export function portalClient(config) {
  return async function api(path, body, { timeoutSeconds } = {}) {
    let response;
    try {
      response = await fetch(`${config.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          Authorization: `Bearer ${config.token}`,
          'Content-Type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(
          (timeoutSeconds ?? config.timeoutSeconds) * 1000,
        ),
      });
    } catch (error) {
      const cause = error.cause?.code ?? error.cause?.message ?? error.message;
      throw new Error(
        `the portal at ${config.url} cannot be reached (${cause})`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 500);
      try {
        message = JSON.parse(text).error?.message ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(`${path} answered ${response.status}: ${message}`);
    }
    return JSON.parse(text);
  };
}

/** What the portal is told of a grant (`/connector/grants/report`). */
export const grantReport = record => ({
  externalId: record.externalId,
  kind: 'device_admin',
  userRef: record.userRef,
  target: record.target,
  targetType: 'device',
  grantedBy: record.grantedBy,
  reason: record.reason,
  startsAt: record.startsAt,
  expiresAt: record.expiresAt,
});
