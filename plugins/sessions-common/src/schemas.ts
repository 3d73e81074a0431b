import { z } from 'zod';
import { GRANT_KINDS, GRANT_STATUSES } from './grants';
import { instantSchema } from './instants';
import { isSafeText, safeText } from './safeText';
import {
  RECORDABLE_RESOURCE_TYPES,
  RESOURCE_TYPES,
  SESSION_STATUSES,
} from './types';
import { canonicalEntityRef } from './entityRefs';

/**
 * Largest number of items a connector may send in one batch.
 *
 * @public
 */
export const MAX_BATCH_SIZE = 500;
/**
 * Largest page the list route returns.
 *
 * @public
 */
export const MAX_PAGE_SIZE = 200;
/** @public */
export const DEFAULT_PAGE_SIZE = 50;

/** @public */
export const SESSION_SORT_FIELDS = [
  'startedAt',
  'lastActivityAt',
  'endedAt',
  'resourceName',
] as const;
/** @public */
export type SessionSortField = (typeof SESSION_SORT_FIELDS)[number];

/**
 * Entity refs are stored in 255-character columns.
 *
 * @public
 */
export const MAX_ENTITY_REF_LENGTH = 255;

/**
 * `kind:namespace/name`, compared case-insensitively, stored lower-case.
 *
 * @public
 */
export const entityRefSchema = z
  .string()
  .trim()
  .max(MAX_ENTITY_REF_LENGTH)
  .regex(/^[a-z0-9-_.]+:[a-z0-9-_.]+\/[a-z0-9-_.@]+$/i, {
    message: 'must be an entity ref such as user:default/jane.doe',
  })
  .transform(canonicalEntityRef);

/**
 * What `q` searches for: one line of text.
 *
 * @public
 */
export const searchTextSchema = safeText({ max: 200 });

/** A cursor as the list routes hand them out (base64url). */
const cursorSchema = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[A-Za-z0-9_-]+$/, {
    message: 'must be a cursor a previous page returned',
  });

/**
 * Refuses a list naming the same `key` twice, at the second item: in one
 * batch, two reports or acknowledgements of one thing contradict each other.
 */
function uniqueBy<T>(key: (item: T) => unknown, field?: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const firstAt = new Map<unknown, number>();
    items.forEach((item, index) => {
      const value = key(item);
      const first = firstAt.get(value);
      if (first === undefined) {
        firstAt.set(value, index);
      } else {
        ctx.addIssue({
          code: 'custom',
          path: field ? [index, field] : [index],
          message: `repeats item ${first}; name each once`,
        });
      }
    });
  };
}

/** A comma separated list in a query string, as `items` checks it. */
function commaSeparated<T extends z.ZodType<unknown, string[]>>(items: T) {
  return z
    .string()
    .transform(value =>
      value
        .split(',')
        .map(item => item.trim())
        .filter(Boolean),
    )
    .pipe(items);
}

/** A comma separated list in a query string, each item one of `values`. */
function commaList<T extends readonly [string, ...string[]]>(values: T) {
  return commaSeparated(z.array(z.enum(values)).min(1));
}

/** Comma separated ids: only those rows, at most a page of them. */
function idList(message: string) {
  return commaSeparated(
    z
      .array(z.uuid({ message }))
      .min(1)
      .max(MAX_PAGE_SIZE)
      .superRefine(uniqueBy((id: string) => id)),
  );
}

/**
 * Query of `GET /sessions` as it arrives on the wire. Build it with
 * {@link ListSessionsRequest} on the client side.
 *
 * @public
 */
export const listSessionsFields = z
  .object({
    status: commaList(SESSION_STATUSES).optional(),
    type: commaList(RESOURCE_TYPES).optional(),
    q: searchTextSchema.optional(),
    sort: z.enum(SESSION_SORT_FIELDS).default('startedAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(DEFAULT_PAGE_SIZE),
    cursor: cursorSchema.optional(),
    user: entityRefSchema.optional(),
    /** Every session the policy lets the caller read, of any user. */
    all: z
      .enum(['true', 'false'])
      .transform(value => value === 'true')
      .optional(),
    /** Only sessions flagged for review at their start. */
    flagged: z
      .enum(['true', 'false'])
      .transform(value => value === 'true')
      .optional(),
    /** Only sessions their person reported as not theirs. */
    reported: z
      .enum(['true', 'false'])
      .transform(value => value === 'true')
      .optional(),
    /** Only sessions that ended at or after this instant. */
    endedFrom: instantSchema.optional(),
    /** Only sessions that ended before this instant. */
    endedBefore: instantSchema.optional(),
    /** Only these sessions (a page refreshing the rows it waits on). */
    id: idList('must be session ids (UUIDs)').optional(),
  })
  .strict();

/**
 * `user` names one person, `all=true` everyone: not both.
 *
 * @public
 */
export const notUserAndAll: [
  (query: { user?: string; all?: boolean }) => boolean,
  { message: string; path: string[] },
] = [
  query => !(query.all && query.user),
  { message: 'user and all=true cannot be combined', path: ['all'] },
];

/** @public */
export const listSessionsQuerySchema = listSessionsFields
  .refine(...notUserAndAll)
  .refine(
    query =>
      !query.endedFrom ||
      !query.endedBefore ||
      Date.parse(query.endedFrom) < Date.parse(query.endedBefore),
    { message: 'must be after endedFrom', path: ['endedBefore'] },
  );
/** @public */
export type ListSessionsQuery = z.output<typeof listSessionsQuerySchema>;

/**
 * Query of `GET /sessions/stats`: the caller's, someone's, or everyone's.
 *
 * @public
 */
export const sessionStatsQuerySchema = listSessionsFields
  .pick({ user: true, all: true })
  .strict()
  .refine(...notUserAndAll);

/**
 * What a client asks the list route for.
 *
 * @public
 */
export interface ListSessionsRequest {
  status?: Array<(typeof SESSION_STATUSES)[number]>;
  type?: Array<(typeof RESOURCE_TYPES)[number]>;
  q?: string;
  sort?: SessionSortField;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
  /** Whose sessions; the caller's own when missing. */
  user?: string;
  /** Every session the policy lets the caller read, of any user. */
  all?: boolean;
  /** Only sessions flagged for review. */
  flagged?: boolean;
  /** Only sessions their person reported as not theirs. */
  reported?: boolean;
  /** Only sessions that ended at or after this ISO instant. */
  endedFrom?: string;
  /** Only sessions that ended before this ISO instant. */
  endedBefore?: string;
  /** Only these sessions. */
  id?: string[];
}

/** @public */
export const sessionIdSchema = z.uuid({
  message: 'must be a session id (UUID)',
});

/**
 * A connector's id: lower-case letters, digits and dashes.
 *
 * @public
 */
export const sourceSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
  message: 'must be a connector id of lower-case letters, digits and dashes',
});

/** @public */
export const endAllSessionsBodySchema = z
  .object({
    /** Keep this one open, typically the session the person is using. */
    exceptId: sessionIdSchema.optional(),
    /** Only sessions from this connector, e.g. `portal` for sign-ins. */
    source: sourceSchema.optional(),
  })
  .strict();
/** @public */
export type EndAllSessionsBody = z.output<typeof endAllSessionsBodySchema>;

/**
 * Longest note a report of a session may carry.
 *
 * @public
 */
export const MAX_REPORT_NOTE_LENGTH = 1000;

/**
 * Body of `POST /sessions/:id/report`: a session of one's own that one did
 * not start.
 *
 * @public
 */
export const reportSessionBodySchema = z
  .object({
    /** What the person sees, in their words, for the security team. */
    note: safeText({ min: 1, max: MAX_REPORT_NOTE_LENGTH, multiline: true }),
    /** End every other open session of theirs too. */
    endOthers: z.boolean().optional(),
    /**
     * With `endOthers`, keep this one open, as end-all does: typically
     * this browser's own sign-in to the portal.
     */
    exceptId: sessionIdSchema.optional(),
  })
  .strict();
/** @public */
export type ReportSessionBody = z.output<typeof reportSessionBodySchema>;

/** A duration in milliseconds of at most a year. */
const durationMs = z
  .number()
  .int()
  .positive()
  .max(365 * 24 * 3_600_000);

/**
 * `PUT /settings/timeouts`: the caller's own idle and disconnect times,
 * checked against the portal's bounds by the backend.
 *
 * @public
 */
export const personalTimeoutsBodySchema = z
  .object({
    /** Quiet this long, their sessions are listed idle. */
    idleAfterMs: durationMs,
    /** Quiet this long, their sessions are disconnected. */
    disconnectAfterMs: durationMs,
  })
  .strict();
/** @public */
export type PersonalTimeoutsBody = z.output<typeof personalTimeoutsBodySchema>;

/** Ids at a source are kept exactly as sent, white space and all. */
const externalId = safeText({ min: 1, max: 255, trim: false });
const optionalText = (max: number, options: { multiline?: boolean } = {}) =>
  safeText({ min: 1, max, ...options }).nullish();

/**
 * A recording reference: where the connector stored it, and what it is.
 *
 * @public
 */
export const sessionRecordingSchema = z
  .object({
    url: z
      .url({
        protocol: /^https?$/,
        message: 'must be an http or https URL',
      })
      .max(2000)
      .refine(url => isSafeText(url), {
        message: 'must not contain control characters',
      }),
    kind: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, {
      message:
        'must be a short name of lower-case letters, digits, dots, dashes or underscores, e.g. asciicast',
    }),
  })
  .strict();

const recordableTypes = RECORDABLE_RESOURCE_TYPES.join(' and ');

/** @public */
export const sessionStartSchema = z
  .object({
    externalId,
    userRef: entityRefSchema,
    resourceName: safeText({ min: 1, max: 255 }),
    resourceType: z.enum(RESOURCE_TYPES),
    device: optionalText(255),
    userAgent: optionalText(1000),
    ipAddress: z
      .union([z.ipv4(), z.ipv6()], {
        message: 'must be an IPv4 or IPv6 address',
      })
      .nullish(),
    location: optionalText(255),
    /** When the session began at the source; now when missing. */
    startedAt: instantSchema.optional(),
    /** Last activity seen at the source; `startedAt` when missing. */
    lastActivityAt: instantSchema.optional(),
    /** A recording of the session, when the source records it. */
    recording: sessionRecordingSchema.optional(),
  })
  .strict()
  .refine(
    start =>
      !start.recording ||
      RECORDABLE_RESOURCE_TYPES.includes(start.resourceType),
    {
      message: `only ${recordableTypes} sessions carry recordings`,
      path: ['recording'],
    },
  );
/** @public */
export type SessionStart = z.output<typeof sessionStartSchema>;

function batchOf<T extends z.ZodType>(item: T) {
  return z.array(item).min(1).max(MAX_BATCH_SIZE);
}

/** A batch of items that each name an external id, each at most once. */
function externalIdBatchOf<T extends z.ZodType<{ externalId: string }>>(
  item: T,
) {
  return batchOf(item).superRefine(
    uniqueBy((entry: { externalId: string }) => entry.externalId, 'externalId'),
  );
}

/** @public */
export const sessionStartBatchSchema = z
  .object({
    source: sourceSchema,
    sessions: externalIdBatchOf(sessionStartSchema),
  })
  .strict();
/** @public */
export type SessionStartBatch = z.output<typeof sessionStartBatchSchema>;

/** @public */
export const sessionActivityBatchSchema = z
  .object({
    source: sourceSchema,
    activity: externalIdBatchOf(
      z.object({ externalId, at: instantSchema.optional() }).strict(),
    ),
  })
  .strict();
/** @public */
export type SessionActivityBatch = z.output<typeof sessionActivityBatchSchema>;

/** @public */
export const sessionEndBatchSchema = z
  .object({
    source: sourceSchema,
    sessions: externalIdBatchOf(
      z.object({ externalId, at: instantSchema.optional() }).strict(),
    ),
  })
  .strict();
/** @public */
export type SessionEndBatch = z.output<typeof sessionEndBatchSchema>;

/**
 * Recordings attached after the start, typically once an upload is done.
 *
 * @public
 */
export const sessionRecordingBatchSchema = z
  .object({
    source: sourceSchema,
    recordings: externalIdBatchOf(
      sessionRecordingSchema.extend({ externalId }).strict(),
    ),
  })
  .strict();
/** @public */
export type SessionRecordingBatch = z.output<
  typeof sessionRecordingBatchSchema
>;

/**
 * Body of `POST /connector/portal/tokens`: a user token the auth plugin
 * issued for a portal sign-in. `proof` is the SHA-256 (base64url) of the
 * token's `uip` claim, which is the signature part of every limited token
 * made from it. Never the `uip` itself: with the token's public claims it
 * is a working limited token.
 *
 * @public
 */
export const portalTokenProofSchema = z
  .object({
    sid: externalId,
    proof: z.string().regex(/^[A-Za-z0-9_-]{43}$/, {
      message: 'must be a SHA-256 digest in base64url (43 characters)',
    }),
    /** The token's expiry, and that of its limited tokens. */
    expiresAt: instantSchema,
    /** Issued while its sign-in waits for its code: refuse its limited tokens. */
    awaitingCode: z.boolean().optional(),
  })
  .strict();
/** @public */
export type PortalTokenProof = z.output<typeof portalTokenProofSchema>;

/** @public */
export const GRANT_SORT_FIELDS = ['expiresAt', 'startsAt', 'target'] as const;
/** @public */
export type GrantSortField = (typeof GRANT_SORT_FIELDS)[number];

/**
 * Largest number of ids one bulk revoke may name.
 *
 * @public
 */
export const MAX_REVOKE_IDS = 100;

/**
 * Query of `GET /grants` as it arrives on the wire.
 *
 * @public
 */
export const listGrantsQuerySchema = z
  .object({
    kind: commaList(GRANT_KINDS).optional(),
    status: commaList(GRANT_STATUSES).optional(),
    q: searchTextSchema.optional(),
    sort: z.enum(GRANT_SORT_FIELDS).default('expiresAt'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(DEFAULT_PAGE_SIZE),
    cursor: cursorSchema.optional(),
    /** Whose grants; the caller's own when missing. */
    user: entityRefSchema.optional(),
    /** Every grant the policy lets the caller read, of any user. */
    all: z
      .enum(['true', 'false'])
      .transform(value => value === 'true')
      .optional(),
    /** Only these grants (a page refreshing the rows it waits on). */
    id: idList('must be grant ids (UUIDs)').optional(),
  })
  .strict()
  .refine(...notUserAndAll);
/** @public */
export type ListGrantsQuery = z.output<typeof listGrantsQuerySchema>;

/**
 * What a client asks the grants list for.
 *
 * @public
 */
export interface ListGrantsRequest {
  kind?: Array<(typeof GRANT_KINDS)[number]>;
  status?: Array<(typeof GRANT_STATUSES)[number]>;
  q?: string;
  sort?: GrantSortField;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
  user?: string;
  all?: boolean;
  /** Only these grants. */
  id?: string[];
}

/** @public */
export const grantIdSchema = z.uuid({ message: 'must be a grant id (UUID)' });

/** @public */
export const revokeGrantsBodySchema = z
  .object({
    ids: z
      .array(grantIdSchema)
      .min(1)
      .max(MAX_REVOKE_IDS)
      .superRefine(uniqueBy((id: string) => id)),
  })
  .strict();
/** @public */
export type RevokeGrantsBody = z.output<typeof revokeGrantsBodySchema>;

/** @public */
export const grantReportSchema = z
  .object({
    externalId,
    kind: z.enum(GRANT_KINDS),
    userRef: entityRefSchema,
    target: safeText({ min: 1, max: 255 }),
    targetType: z.string().regex(/^[a-z0-9][a-z0-9-_.]{0,62}$/, {
      message:
        'must be lower-case letters, digits, dashes, dots or underscores',
    }),
    grantedBy: optionalText(255),
    /** Free text: tab and line breaks allowed. */
    reason: optionalText(1000, { multiline: true }),
    /** When the grant took effect; now when missing. */
    startsAt: instantSchema.optional(),
    expiresAt: instantSchema,
  })
  .strict();
/** @public */
export type GrantReport = z.output<typeof grantReportSchema>;

/** @public */
export const grantReportBatchSchema = z
  .object({
    source: sourceSchema,
    grants: externalIdBatchOf(grantReportSchema),
  })
  .strict();
/** @public */
export type GrantReportBatch = z.output<typeof grantReportBatchSchema>;

/** @public */
export const grantEndBatchSchema = z
  .object({
    source: sourceSchema,
    grants: externalIdBatchOf(
      z.object({ externalId, at: instantSchema.optional() }).strict(),
    ),
  })
  .strict();
/** @public */
export type GrantEndBatch = z.output<typeof grantEndBatchSchema>;

/**
 * Longest a connector may ask the command feed to wait, in seconds.
 *
 * @public
 */
export const MAX_FEED_WAIT_SECONDS = 25;

/**
 * Query of `GET /connector/commands`: the orders for one source.
 *
 * @public
 */
export const commandFeedQuerySchema = z
  .object({
    source: sourceSchema,
    /** The id of the last order seen; orders after it are returned. */
    after: z.coerce.number().int().min(0).default(0),
    /** Seconds to wait for an order when there is none yet. */
    wait: z.coerce.number().int().min(0).max(MAX_FEED_WAIT_SECONDS).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_BATCH_SIZE).default(100),
  })
  .strict();
/** @public */
export type CommandFeedQuery = z.output<typeof commandFeedQuerySchema>;

/** @public */
export const COMMAND_OUTCOMES = ['done', 'not_found', 'failed'] as const;
/** @public */
export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number];

/**
 * The longest acknowledgement message. A session's or grant's cut failure
 * keeps the first 1,000 characters of it (its column's length), as a
 * webhook push failure does: the acknowledgement matters more than the
 * whole of its message.
 *
 * @public
 */
export const MAX_ACK_MESSAGE_LENGTH = 2000;

/** @public */
export const commandAckBatchSchema = z
  .object({
    source: sourceSchema,
    acks: batchOf(
      z
        .object({
          id: z.number().int().min(1),
          outcome: z.enum(COMMAND_OUTCOMES),
          /** Free text, e.g. an error: tab and line breaks allowed. */
          message: safeText({
            max: MAX_ACK_MESSAGE_LENGTH,
            multiline: true,
            trim: false,
          }).optional(),
        })
        .strict(),
    ).superRefine(uniqueBy((ack: { id: number }) => ack.id, 'id')),
  })
  .strict();
/** @public */
export type CommandAckBatch = z.output<typeof commandAckBatchSchema>;

/**
 * Input of a route that takes none (in its query, or its body).
 *
 * @public
 */
export const noInputSchema = z.object({}).strict();
