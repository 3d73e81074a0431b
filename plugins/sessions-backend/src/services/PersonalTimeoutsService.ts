import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PersonalTimeoutsBody,
  SessionsSettingsInfo,
  canonicalEntityRef,
  formatDuration,
  personalTimeoutsUpdatePermission,
} from '@active-sessions/plugin-sessions-common';
import { BoundsMs, SessionsSettings } from '../config';
import { PersonalTimeoutStore } from '../database/PersonalTimeoutStore';
import { QuietLimits } from '../database/quietPast';
import { effectiveTimeouts } from './effectiveTimeouts';

type Caller = BackstageCredentials<BackstageUserPrincipal>;

/**
 * The idle and disconnect times people choose for their own sessions,
 * within the ranges of `sessions.personalTimeouts`; the sweep applies them.
 */
export class PersonalTimeoutsService {
  constructor(
    private readonly options: {
      store: PersonalTimeoutStore;
      settings: Pick<
        SessionsSettings,
        | 'idleAfterMs'
        | 'warnAfterMs'
        | 'disconnectAfterMs'
        | 'maxLifetimeMs'
        | 'personalTimeouts'
      >;
      permissions: PermissionsService;
      now?: () => number;
    },
  ) {}

  /** The portal's times and ranges, as the sweep needs them. */
  get limits(): QuietLimits {
    const { settings } = this.options;
    return {
      idleAfterMs: settings.idleAfterMs,
      warnAfterMs: settings.warnAfterMs,
      disconnectAfterMs: settings.disconnectAfterMs,
      personal: settings.personalTimeouts,
    };
  }

  /** The caller's times, and what they may choose. */
  async timeoutsOf(caller: Caller): Promise<SessionsSettingsInfo['timeouts']> {
    const userRef = canonicalEntityRef(caller.principal.userEntityRef);
    const { settings } = this.options;
    const bounds = settings.personalTimeouts;
    const [chosen, mayChoose] = bounds
      ? await Promise.all([
          this.options.store.get(userRef),
          this.allowed(caller),
        ])
      : [undefined, false];
    return {
      ...effectiveTimeouts(this.limits, chosen),
      maxLifetimeMs: settings.maxLifetimeMs,
      personal: bounds
        ? {
            chosen: chosen !== undefined,
            mayChoose,
            defaults: {
              idleAfterMs: settings.idleAfterMs,
              warnAfterMs: settings.warnAfterMs,
              disconnectAfterMs: settings.disconnectAfterMs,
            },
            bounds: {
              idleAfterMs: bounds.idleAfterMs,
              disconnectAfterMs: bounds.disconnectAfterMs,
            },
          }
        : null,
    };
  }

  /** Sets the caller's own times; refused outside the portal's ranges. */
  async choose(caller: Caller, body: PersonalTimeoutsBody) {
    const bounds = await this.mayChoose(caller);
    const within = (field: keyof PersonalTimeoutsBody, range: BoundsMs) => {
      if (body[field] < range.minMs || body[field] > range.maxMs) {
        throw new InputError(
          `Invalid request, body.${field}: must be between ${formatDuration(range.minMs)} and ${formatDuration(range.maxMs)}`,
        );
      }
    };
    within('idleAfterMs', bounds.idleAfterMs);
    within('disconnectAfterMs', bounds.disconnectAfterMs);
    if (body.disconnectAfterMs <= body.idleAfterMs) {
      throw new InputError(
        'Invalid request, body.disconnectAfterMs: must be longer than idleAfterMs',
      );
    }
    await this.options.store.set(
      canonicalEntityRef(caller.principal.userEntityRef),
      body,
      (this.options.now ?? Date.now)(),
    );
    return this.timeoutsOf(caller);
  }

  /** Back to the portal's times. */
  async reset(caller: Caller) {
    await this.mayChoose(caller);
    await this.options.store.clear(
      canonicalEntityRef(caller.principal.userEntityRef),
    );
    return this.timeoutsOf(caller);
  }

  /**
   * The disconnect time of those of these people who chose their own, as
   * it applies today; everyone else has the portal's.
   */
  async chosenDisconnectAfter(
    userRefs: string[],
  ): Promise<Map<string, number>> {
    const times = new Map<string, number>();
    if (!this.options.settings.personalTimeouts) return times;
    const chosen = await this.options.store.getMany(userRefs);
    for (const [userRef, own] of chosen) {
      times.set(userRef, effectiveTimeouts(this.limits, own).disconnectAfterMs);
    }
    return times;
  }

  private async mayChoose(caller: Caller) {
    const bounds = this.options.settings.personalTimeouts;
    if (!bounds) {
      throw new NotAllowedError(
        'This portal does not let people choose their own idle times (sessions.personalTimeouts is not set)',
      );
    }
    if (!(await this.allowed(caller))) {
      throw new NotAllowedError('You may not choose your own idle times');
    }
    return bounds;
  }

  private async allowed(caller: Caller): Promise<boolean> {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: personalTimeoutsUpdatePermission }],
      { credentials: caller },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }
}
