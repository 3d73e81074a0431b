import { createHash } from 'node:crypto';
import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  MFA_ENROLLMENT_REQUIRED,
  MFA_LOCKED,
  OffboardPreview,
  OffboardResult,
  STEP_UP_REQUIRED,
} from '@active-sessions/plugin-sessions-common';
import { parsePeople, secondFactor } from './people';
import { SessionsApiError, SessionsClient } from './SessionsClient';

/**
 * The action's id, as templates name it in `steps[].action`.
 *
 * @public
 */
export const OFFBOARD_ACTION_ID = 'sessions:offboard';

const NOTHING_CHANGED = 'Nothing was changed.';

/** A refusal the step fails with; its message is what the person reads. */
class StepUpCodeError extends CustomErrorBase {
  name = 'StepUpCodeError' as const;
}

const plural = (count: number, noun: string) =>
  `${count} ${noun}${count === 1 ? '' : 's'}`;

const persons = (count: number) =>
  count === 1 ? '1 person' : `${count} people`;

/** Grant kinds as the Active Sessions page names them. */
const KIND_LABELS: Record<string, string> = {
  device_admin: 'Device Admin',
  timed_access: 'Timed Access',
};

const tally = (items: Array<{ name: string; count: number }>) =>
  items.map(({ name, count }) => `${name} ×${count}`).join(', ');

/** One line per person: what offboarding would cut. */
function describePreview(preview: OffboardPreview): string {
  const sessions = preview.sessions.reduce((sum, s) => sum + s.count, 0);
  const grants = preview.grants.reduce((sum, g) => sum + g.count, 0);
  const parts = [
    `${plural(sessions, 'open session')}${
      sessions
        ? ` (${tally(
            preview.sessions.map(s => ({
              name: s.resourceName,
              count: s.count,
            })),
          )})`
        : ''
    }`,
    `${plural(grants, 'active grant')}${
      grants
        ? ` (${tally(
            preview.grants.map(g => ({
              name: KIND_LABELS[g.kind] ?? g.kind,
              count: g.count,
            })),
          )})`
        : ''
    }`,
  ];
  if (preview.locked) parts.push('already locked');
  if (!preview.mayOffboard) {
    parts.push('you are not allowed to offboard them');
  }
  return `${preview.userRef}: ${parts.join('; ')}`;
}

/** One line per person: what offboarding cut. */
function describeResult(result: OffboardResult): string {
  const parts = [
    result.locked ? 'locked' : 'not locked',
    `${plural(result.endedSessions.length, 'session')} ended`,
    `${plural(result.revokedGrants.length, 'grant')} revoked`,
  ];
  const { sessions, grants } = result.notAllowed;
  if (sessions + grants > 0) {
    parts.push(
      `${plural(sessions, 'session')} and ${plural(
        grants,
        'grant',
      )} left that you may see but not cut`,
    );
  }
  return `${result.userRef}: ${parts.join('; ')}`;
}

/**
 * The error the step fails with for a refusal of the sessions API: its
 * own message, with what to do about it. Every refusal (4xx) of these
 * routes comes before anything is changed.
 */
function explain(error: unknown, actor: string): Error {
  if (!(error instanceof SessionsApiError)) return error as Error;
  const { statusCode, errorName, apiMessage, path } = error;
  if (errorName === MFA_ENROLLMENT_REQUIRED) {
    return new NotAllowedError(
      `Active Sessions: ${apiMessage}. ${actor} has not set up two-factor authentication; set it up on the Active Sessions page (Two-factor tab), then run the template again with a current code. ${NOTHING_CHANGED}`,
    );
  }
  if (errorName === MFA_LOCKED) {
    return new StepUpCodeError(
      `Active Sessions: ${apiMessage}. ${NOTHING_CHANGED}`,
    );
  }
  if (statusCode === 400) {
    return new InputError(
      `Active Sessions refused the request: ${apiMessage}. ${NOTHING_CHANGED}`,
    );
  }
  if (statusCode === 401 || statusCode === 403) {
    return new NotAllowedError(
      `Active Sessions refused ${actor}: ${apiMessage}. ${NOTHING_CHANGED}`,
    );
  }
  if (statusCode === 404) {
    return new NotFoundError(
      `Active Sessions has no ${path} here (${apiMessage}); is the sessions backend plugin (@active-sessions/plugin-sessions-backend) installed? ${NOTHING_CHANGED}`,
    );
  }
  if (statusCode === 409 || statusCode === 503) {
    return new StepUpCodeError(
      `Active Sessions could not check the two-factor code: ${apiMessage}. ${NOTHING_CHANGED}`,
    );
  }
  return new Error(
    `Active Sessions answered ${statusCode} to ${path}: ${apiMessage}`,
  );
}

/** A refusal (4xx): the API refuses before it changes anything. */
const isRefusal = (error: unknown) =>
  error instanceof SessionsApiError &&
  error.statusCode >= 400 &&
  error.statusCode < 500;

/**
 * A result as the step outputs (and checkpoints) it: plain JSON with
 * exactly the documented fields.
 */
const resultOutput = (result: OffboardResult) => ({
  userRef: result.userRef,
  locked: result.locked,
  endedSessions: result.endedSessions.map(s => ({
    id: s.id,
    resourceName: s.resourceName,
  })),
  revokedGrants: result.revokedGrants.map(g => ({
    id: g.id,
    target: g.target,
    kind: g.kind,
  })),
  notAllowed: {
    sessions: result.notAllowed.sessions,
    grants: result.notAllowed.grants,
  },
});

const isStepUpRequired = (error: unknown) =>
  error instanceof SessionsApiError && error.errorName === STEP_UP_REQUIRED;

/** A key for this step's checkpoint: one per set of people. */
const checkpointKey = (people: string[]) =>
  `offboard-${createHash('sha256')
    .update(people.join('\n'))
    .digest('hex')
    .slice(0, 16)}`;

/**
 * The scaffolder action `sessions:offboard`: previews or offboards people
 * in Active Sessions with the permissions of the person running the
 * template (a token on their behalf), asks them for a two-factor code when
 * Active Sessions wants a step-up, and outputs what was cut per person.
 *
 * @public
 */
export function createSessionsOffboardAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  catalog: CatalogService;
}) {
  const { auth, catalog } = options;
  const sessions = new SessionsClient(options);

  /**
   * Refuses people neither the catalog (as the caller may read it) nor
   * Active Sessions knows: most likely a typo. A leaver already removed
   * from the catalog who still holds access (or is locked) is known.
   */
  async function refuseUnknown(
    credentials: BackstageCredentials,
    people: string[],
    previews: OffboardPreview[],
  ) {
    const holding = new Set(
      previews
        .filter(p => p.sessions.length + p.grants.length > 0 || p.locked)
        .map(p => p.userRef),
    );
    const unsure = people.filter(userRef => !holding.has(userRef));
    if (unsure.length === 0) return;
    let found: Array<unknown>;
    try {
      ({ items: found } = await catalog.getEntitiesByRefs(
        {
          entityRefs: unsure,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      ));
    } catch (error) {
      throw new Error(
        `Could not look ${unsure.join(', ')} up in the catalog: ${
          (error as Error).message
        }. ${NOTHING_CHANGED}`,
      );
    }
    const unknown = unsure.filter((_, index) => !found[index]);
    if (unknown.length > 0) {
      throw new InputError(
        `Unknown ${unknown.length === 1 ? 'person' : 'people'}: ${unknown.join(
          ', ',
        )}: not in the catalog, and Active Sessions has no session, grant or lock of theirs. Check the entity refs. ${NOTHING_CHANGED}`,
      );
    }
  }

  /** Offboards; on a step-up request, exchanges the code and tries again. */
  async function offboardWithStepUp(run: {
    credentials: BackstageCredentials<BackstageUserPrincipal>;
    people: string[];
    stepUpCode?: string;
    logger: LoggerService;
  }): Promise<OffboardResult[]> {
    const { credentials, people, stepUpCode, logger } = run;
    const actor = credentials.principal.userEntityRef;
    try {
      return await sessions.offboard(credentials, people);
    } catch (error) {
      if (!isStepUpRequired(error)) throw await afterFailure(run, error);
      if (!stepUpCode?.trim()) {
        throw new StepUpCodeError(
          `Active Sessions asks ${actor} for a fresh two-factor code to offboard people (${
            (error as SessionsApiError).apiMessage
          }), and this step got none. Template authors: add a secret field for the code to the template's parameters (ui:field: Secret) and pass it to this step as stepUpCode: \${{ secrets.<field name> }}. ${NOTHING_CHANGED}`,
        );
      }
    }
    logger.info(
      `Active Sessions asks for a step-up: checking the two-factor code of ${actor}`,
    );
    let proof: string;
    try {
      ({ proof } = await sessions.verify(
        credentials,
        secondFactor(stepUpCode!),
      ));
    } catch (error) {
      if (error instanceof SessionsApiError && error.statusCode === 400) {
        throw new StepUpCodeError(
          `Active Sessions did not accept the two-factor code of ${actor} (${error.apiMessage}): give a current code from the authenticator app, or an unused recovery code. ${NOTHING_CHANGED}`,
        );
      }
      throw explain(error, actor);
    }
    try {
      return await sessions.offboard(credentials, people, proof);
    } catch (error) {
      throw await afterFailure(run, error);
    }
  }

  /**
   * The error for a failed offboarding. A refusal changed nothing; any
   * other failure (a 5xx, the connection lost) may come after the backend
   * offboarded some of the people, one after another: say who is locked
   * now, so nobody reads "nothing changed" over a half-done offboarding.
   */
  async function afterFailure(
    run: {
      credentials: BackstageCredentials<BackstageUserPrincipal>;
      people: string[];
    },
    error: unknown,
  ): Promise<Error> {
    const actor = run.credentials.principal.userEntityRef;
    if (isRefusal(error)) return explain(error, actor);
    const cause =
      error instanceof SessionsApiError
        ? `${error.statusCode} ${error.apiMessage}`
        : (error as Error).message;
    let state: string;
    try {
      const now = await sessions.preview(run.credentials, run.people);
      const locked = now.filter(p => p.locked).map(p => p.userRef);
      const open = now.filter(p => !p.locked).map(p => p.userRef);
      state = [
        locked.length
          ? `Locked now (what they hold may be only partly cut): ${locked.join(
              ', ',
            )}.`
          : 'Nobody is locked.',
        open.length ? `Not offboarded: ${open.join(', ')}.` : '',
      ]
        .filter(Boolean)
        .join(' ');
    } catch {
      state =
        'Whether anyone was offboarded is unknown: check People in Active Sessions.';
    }
    return new Error(
      `Offboarding failed part-way (${cause}). ${state} Run the template again: offboarding someone already locked finishes cutting what they hold.`,
    );
  }

  return createTemplateAction({
    id: OFFBOARD_ACTION_ID,
    description:
      'Offboards people in Active Sessions with the permissions of the person running the template: locks each one against new sessions and grants, ends their sessions and revokes their grants (or only previews that). Outputs what was cut per person.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Offboard the people picked in the form',
        example: [
          'steps:',
          '  - id: offboard',
          '    name: Offboard',
          `    action: ${OFFBOARD_ACTION_ID}`,
          '    input:',
          '      people: ${{ parameters.people }}',
          '      mode: ${{ parameters.mode }}',
          '      stepUpCode: ${{ secrets.stepUpCode }}',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        people: z =>
          z
            .array(z.string())
            .min(1)
            .max(50)
            .describe(
              'The people: user entity refs such as user:default/jane.doe (1 to 50)',
            ),
        mode: z =>
          z
            .enum(['preview', 'offboard'])
            .optional()
            .describe(
              "'offboard' (the default) locks each person and cuts what they hold; 'preview' only tells what that would cut. A dry run of the template always previews.",
            ),
        stepUpCode: z =>
          z
            .string()
            .optional()
            .describe(
              'A current two-factor code (or an unused recovery code) of the person running the template, used only when Active Sessions asks for a step-up. Pass it from a secret field (${{ secrets.<name> }}); it is never logged nor output.',
            ),
      },
      output: {
        mode: z =>
          z
            .enum(['preview', 'offboard'])
            .describe('What the step did: previewed, or offboarded'),
        summary: z =>
          z
            .string()
            .describe('What was cut (or would be), one line per person'),
        previews: z =>
          z
            .array(
              z.object({
                userRef: z.string(),
                locked: z.boolean().optional(),
                mayOffboard: z.boolean(),
                sessions: z.array(
                  z.object({
                    resourceName: z.string(),
                    resourceType: z.string(),
                    count: z.number(),
                  }),
                ),
                grants: z.array(
                  z.object({ kind: z.string(), count: z.number() }),
                ),
              }),
            )
            .optional()
            .describe(
              'In preview: per person, open sessions per resource and active grants per kind',
            ),
        results: z =>
          z
            .array(
              z.object({
                userRef: z.string(),
                locked: z.boolean(),
                endedSessions: z.array(
                  z.object({ id: z.string(), resourceName: z.string() }),
                ),
                revokedGrants: z.array(
                  z.object({
                    id: z.string(),
                    target: z.string(),
                    kind: z.string(),
                  }),
                ),
                notAllowed: z.object({
                  sessions: z.number(),
                  grants: z.number(),
                }),
              }),
            )
            .optional()
            .describe(
              'When offboarded: per person, the lock, the sessions ended and grants revoked, and what the runner may see but not cut',
            ),
      },
    },
    async handler(ctx) {
      const people = parsePeople(ctx.input.people);
      const mode = ctx.isDryRun ? 'preview' : (ctx.input.mode ?? 'offboard');
      const credentials = await ctx.getInitiatorCredentials();
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          `${OFFBOARD_ACTION_ID} acts with the permissions of the person running the template, and this task was not started by a signed-in person. ${NOTHING_CHANGED}`,
        );
      }
      const actor = credentials.principal.userEntityRef;
      const names = people.join(', ');

      ctx.logger.info(
        ctx.isDryRun
          ? `Dry run: previewing the offboarding of ${names} as ${actor}; nothing is changed`
          : `${
              mode === 'preview'
                ? 'Previewing the offboarding of'
                : 'Offboarding'
            } ${names} as ${actor}`,
      );
      let previews: OffboardPreview[];
      try {
        previews = await sessions.preview(credentials, people);
      } catch (error) {
        throw explain(error, actor);
      }
      await refuseUnknown(credentials, people, previews);

      if (mode === 'preview') {
        const lines = previews.map(describePreview);
        lines.forEach(line => ctx.logger.info(`Would cut: ${line}`));
        ctx.output('mode', 'preview');
        ctx.output('previews', previews);
        ctx.output(
          'summary',
          [
            `Preview, nothing was changed. Offboarding ${persons(
              people.length,
            )} would cut:`,
            ...lines.map(line => `- ${line}`),
          ].join('\n'),
        );
        return;
      }

      // A retried task gets the first run's results back instead of
      // offboarding again with a code that is spent by now.
      const results = await ctx.checkpoint({
        key: checkpointKey(people),
        fn: async () =>
          (
            await offboardWithStepUp({
              credentials,
              people,
              stepUpCode: ctx.input.stepUpCode,
              logger: ctx.logger,
            })
          ).map(resultOutput),
      });
      for (const result of results) {
        ctx.logger.info(
          `Offboarded ${describeResult(result)}${
            result.endedSessions.length
              ? `; sessions ${result.endedSessions.map(s => s.id).join(', ')}`
              : ''
          }${
            result.revokedGrants.length
              ? `; grants ${result.revokedGrants.map(g => g.id).join(', ')}`
              : ''
          }`,
        );
      }
      ctx.output('mode', 'offboard');
      ctx.output('results', results);
      ctx.output(
        'summary',
        [
          `Offboarded ${persons(results.length)}:`,
          ...results.map(result => `- ${describeResult(result)}`),
        ].join('\n'),
      );
    },
  });
}
