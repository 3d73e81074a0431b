import {
  AuditorService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/** One finished auditor event: its id, severity, outcome and all its meta. */
export interface AuditRecord {
  eventId: string;
  severityLevel?: string;
  outcome: 'success' | 'failure';
  meta: JsonObject;
}

/** An auditor that appends every finished event to `records`. */
export function recordingAuditorFactory(records: AuditRecord[]) {
  const auditor: AuditorService = {
    async createEvent(options) {
      const base = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta ?? {},
      };
      return {
        async success(params) {
          records.push({
            ...base,
            outcome: 'success',
            meta: { ...base.meta, ...params?.meta },
          });
        },
        async fail() {
          records.push({ ...base, outcome: 'failure' });
        },
      };
    },
  };
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => auditor,
  });
}
