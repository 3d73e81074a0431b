import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * Runs an action inside an auditor event: success with what it changed, or
 * failure with the error, which is then rethrown.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: {
    eventId: string;
    severityLevel: 'low' | 'medium' | 'high' | 'critical';
    request: Request<any, any, any, any, any>;
    meta: JsonObject;
  },
  action: () => Promise<T>,
  outcome: (result: T) => JsonObject,
): Promise<T> {
  const auditorEvent = await auditor.createEvent(event);
  try {
    const result = await action();
    await auditorEvent.success({ meta: outcome(result) });
    return result;
  } catch (error) {
    await auditorEvent.fail({ error: error as Error });
    throw error;
  }
}
