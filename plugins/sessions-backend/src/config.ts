import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { Duration } from 'luxon';
import { parseKey } from './mfa/SecretBox';
import {
  DEFAULT_IDLE_WARNING,
  PORTAL_SOURCE,
  entityRefSchema,
  RESOURCE_TYPES,
  ResourceType,
} from '@active-sessions/plugin-sessions-common';
import {
  WhenUnavailable,
  readWhenUnavailable,
} from '@active-sessions/plugin-sessions-node';
import { SessionLimits } from './database/sessionLimits';
import { AnomalySettings } from './services/AnomalyDetector';

/** Session lifetime settings, in milliseconds. */
export interface SessionsSettings {
  idleAfterMs: number;
  warnAfterMs: number;
  disconnectAfterMs: number;
  maxLifetimeMs: number;
  sweepFrequency: HumanDuration;
  /** A cut not confirmed by its connector within this is flagged. */
  confirmWithinMs: number;
  /** A connector that has not read its orders for this long is offline. */
  offlineAfterMs: number;
  connectors: ConnectorSettings[];
  mfa: MfaSettings;
  stepUp: StepUpSettings;
  managers: ManagerSettings;
  /** How long a caller's permission decision is reused; 0: never. */
  permissionCacheTtlMs: number;
  /** History (ended sessions and grants, acknowledged orders) kept this long. */
  retentionMs: number;
  /** Whether traffic is checked against the OpenAPI spec (development, tests). */
  checkApiContract: boolean;
  /** Where addresses are looked up; disabled: only connectors' locations. */
  geo: { enabled: boolean; database?: string };
  /** Concurrent session limits (`sessions.limits`); none when not set. */
  limits?: SessionLimits;
  /** The idle warning's text, with {type}, {resource} and {minutes}. */
  idleWarningMessage: string;
  anomaly: AnomalySettings;
  signIn: SignInSettings;
  reports: ReportSettings;
  /** What people may choose for their own sessions; none: nothing. */
  personalTimeouts?: PersonalTimeoutBounds;
}

/** A range of durations, in milliseconds. */
export interface BoundsMs {
  minMs: number;
  maxMs: number;
}

/** `sessions.personalTimeouts`: what each person may set their times to. */
export interface PersonalTimeoutBounds {
  idleAfterMs: BoundsMs;
  disconnectAfterMs: BoundsMs;
}

/** Sessions people report as not theirs (`sessions.reports`). */
export interface ReportSettings {
  /** Entity refs told of each report; none: nobody is. */
  notify: string[];
}

/** When a portal sign-in needs the person's authenticator code. */
export const SECOND_FACTOR_MODES = ['never', 'newDevice', 'always'] as const;

/** A second factor at portal sign-in (`sessions.signIn`). */
export interface SignInSettings {
  /**
   * `never`; `newDevice`: a browser that has not passed the code within
   * `rememberDeviceMs`; `always`. Only for people who set up two-factor.
   */
  secondFactor: (typeof SECOND_FACTOR_MODES)[number];
  /** How long a browser that passed needs no code again (`newDevice`). */
  rememberDeviceMs: number;
  /** A sign-in waiting for its code is ended after this long. */
  codeTimeoutMs: number;
}

/** Mirroring group owners from the catalog for the IS_MANAGED_BY rules. */
export interface ManagerSettings {
  enabled: boolean;
  syncFrequency: HumanDuration;
}

/** The actions step-up can guard; `sessions.stepUp.actions` lists them. */
export const STEP_UP_ACTIONS = [
  'end-all-sessions',
  'bulk-revoke',
  'act-for-others',
  'offboard',
  'unlock',
  'disable-mfa',
] as const;
export type StepUpAction = (typeof STEP_UP_ACTIONS)[number];

export interface MfaSettings {
  /** 32 bytes; absent when not configured, and enrolment is refused. */
  encryptionKey?: Buffer;
  previousEncryptionKeys: Buffer[];
  issuer: string;
  lockout: { maxFailures: number; windowMs: number; durationMs: number };
}

export interface StepUpSettings {
  enabled: boolean;
  maxAgeMs: number;
  actions: StepUpAction[];
}

const DEFAULTS = {
  idleAfter: { minutes: 5 },
  warnAfter: { minutes: 10 },
  disconnectAfter: { minutes: 30 },
  maxLifetime: { hours: 12 },
  sweepFrequency: { seconds: 30 },
  confirmWithin: { seconds: 30 },
  offlineAfter: { minutes: 2 },
  managersSyncFrequency: { minutes: 5 },
  permissionCacheTtl: { seconds: 5 },
  retention: { days: 90 },
};

function readDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  return config.has(key) ? readDurationFromConfig(config, { key }) : fallback;
}

const toMillis = (duration: HumanDuration) =>
  Duration.fromObject(duration).toMillis();

/** `sessions.anomaly`; a lookback or speed that would flag all or nothing is refused. */
function readAnomalySettings(config: Config): AnomalySettings {
  const lookbackMs = toMillis(
    readDuration(config, 'sessions.anomaly.lookback', { days: 30 }),
  );
  if (!(lookbackMs >= 60 * 60_000)) {
    throw new Error('sessions.anomaly.lookback must be at least an hour');
  }
  const maxSpeedKmh =
    config.getOptionalNumber('sessions.anomaly.maxSpeedKmh') ?? 1000;
  if (!(maxSpeedKmh > 0)) {
    throw new Error('sessions.anomaly.maxSpeedKmh must be more than 0');
  }
  return {
    enabled: config.getOptionalBoolean('sessions.anomaly.enabled') ?? true,
    lookbackMs,
    maxSpeedKmh,
  };
}

/**
 * The key app-config.yaml publishes for the dev portal. Anyone can mint
 * step-up proofs with it and read the secrets it encrypts.
 */
const PUBLISHED_DEV_KEY = 'ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtMDAwMDAwMDA=';

function readMfa(config: Config): MfaSettings {
  const key = config.getOptionalString('sessions.mfa.encryptionKey');
  if (
    key?.trim() === PUBLISHED_DEV_KEY &&
    process.env.NODE_ENV === 'production'
  ) {
    throw new Error(
      "sessions.mfa.encryptionKey is the development key published in app-config.yaml, which anyone can use to mint step-up proofs; set a key of your own (for example from 'openssl rand -base64 32') in your production config",
    );
  }
  const previous =
    config.getOptionalStringArray('sessions.mfa.previousEncryptionKeys') ?? [];
  return {
    encryptionKey: key
      ? parseKey(key, 'sessions.mfa.encryptionKey')
      : undefined,
    previousEncryptionKeys: previous.map((item, index) =>
      parseKey(item, `sessions.mfa.previousEncryptionKeys[${index}]`),
    ),
    issuer: config.getOptionalString('sessions.mfa.issuer') ?? 'Backstage',
    lockout: {
      maxFailures:
        config.getOptionalNumber('sessions.mfa.lockout.maxFailures') ?? 5,
      windowMs: toMillis(
        readDuration(config, 'sessions.mfa.lockout.window', { minutes: 15 }),
      ),
      durationMs: toMillis(
        readDuration(config, 'sessions.mfa.lockout.duration', {
          minutes: 15,
        }),
      ),
    },
  };
}

function readStepUp(config: Config): StepUpSettings {
  const actions = config.getOptionalStringArray('sessions.stepUp.actions') ?? [
    ...STEP_UP_ACTIONS,
  ];
  actions.forEach((action, index) => {
    if (!(STEP_UP_ACTIONS as readonly string[]).includes(action)) {
      throw new Error(
        `sessions.stepUp.actions[${index}] must be one of ${STEP_UP_ACTIONS.join(', ')}`,
      );
    }
  });
  return {
    enabled: config.getOptionalBoolean('sessions.stepUp.enabled') ?? false,
    maxAgeMs: toMillis(
      readDuration(config, 'sessions.stepUp.maxAge', { minutes: 5 }),
    ),
    actions: actions as StepUpAction[],
  };
}

/** How every plugin enforces portal sign-outs (`sessions.portal`). */
export interface PortalSettings {
  /** How often each process re-reads the sign-outs from the database. */
  refreshMs: number;
  /** What token checks do once that list is out of date. */
  whenUnavailable: WhenUnavailable;
  /**
   * How long user tokens live (`auth.backstageTokenExpiration`): a sign-out
   * older than that concerns no token that still works.
   */
  tokenLifetimeMs: number;
  /** How often an open portal tab says it is still there. */
  heartbeatMs: number;
}

/** Reads `sessions.portal`; shared by the plugin and the token check. */
export function readPortalSettings(config: Config): PortalSettings {
  const whenUnavailable = readWhenUnavailable(config);
  const refreshMs = toMillis(
    readDuration(config, 'sessions.portal.refreshInterval', { seconds: 5 }),
  );
  if (refreshMs < 500) {
    throw new Error('sessions.portal.refreshInterval must be at least 500ms');
  }
  return {
    refreshMs,
    whenUnavailable,
    tokenLifetimeMs: Math.max(
      toMillis(
        readDuration(config, 'auth.backstageTokenExpiration', {
          hours: 1,
        }),
      ),
      // Limited tokens for cookies live an hour whatever the setting.
      toMillis({ hours: 1 }),
    ),
    heartbeatMs: toMillis(
      readDuration(config, 'sessions.portal.heartbeatInterval', {
        seconds: 30,
      }),
    ),
  };
}

function readSignIn(config: Config): SignInSettings {
  const mode =
    config.getOptionalString('sessions.signIn.secondFactor') ?? 'never';
  if (!(SECOND_FACTOR_MODES as readonly string[]).includes(mode)) {
    throw new Error(
      `sessions.signIn.secondFactor must be one of ${SECOND_FACTOR_MODES.join(', ')}, not '${mode}'`,
    );
  }
  if (mode !== 'never' && !config.has('sessions.mfa.encryptionKey')) {
    throw new Error(
      'sessions.signIn.secondFactor needs sessions.mfa.encryptionKey to be set',
    );
  }
  const codeTimeoutMs = toMillis(
    readDuration(config, 'sessions.signIn.codeTimeout', { minutes: 5 }),
  );
  if (codeTimeoutMs < 30_000) {
    throw new Error('sessions.signIn.codeTimeout must be at least 30 seconds');
  }
  return {
    secondFactor: mode as SignInSettings['secondFactor'],
    rememberDeviceMs: toMillis(
      readDuration(config, 'sessions.signIn.rememberDevice', { days: 30 }),
    ),
    codeTimeoutMs,
  };
}

function readReports(config: Config): ReportSettings {
  const notify = config.getOptionalStringArray('sessions.reports.notify') ?? [];
  return {
    notify: notify.map((ref, index) => {
      const parsed = entityRefSchema.safeParse(ref);
      if (!parsed.success) {
        throw new Error(
          `sessions.reports.notify[${index}] must be an entity ref such as group:default/security, not '${ref}'`,
        );
      }
      return parsed.data;
    }),
  };
}

function readLimits(config: Config): SessionLimits | undefined {
  const limits = config.getOptionalConfig('sessions.limits');
  if (!limits) return undefined;
  const count = (key: string) => {
    const value = limits.getOptionalNumber(key);
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(
        `sessions.limits.${key} must be a whole number of at least 1`,
      );
    }
    return value;
  };
  const perType: SessionLimits['perType'] = {};
  for (const type of limits.getOptionalConfig('perType')?.keys() ?? []) {
    if (!(RESOURCE_TYPES as readonly string[]).includes(type)) {
      throw new Error(
        `sessions.limits.perType.${type} is not a kind of session; use ${RESOURCE_TYPES.join(', ')}`,
      );
    }
    perType[type as ResourceType] = count(`perType.${type}`);
  }
  const onExceed = limits.getOptionalString('onExceed') ?? 'deny';
  if (onExceed !== 'deny' && onExceed !== 'endOldest') {
    throw new Error("sessions.limits.onExceed must be 'deny' or 'endOldest'");
  }
  return { maxPerUser: count('maxPerUser'), perType, onExceed };
}

/** A connector declared in `sessions.connectors.sources`. */
export interface ConnectorSettings {
  id: string;
  title: string;
  /** Service principals' subjects that may speak for this source. */
  subjects: string[];
  webhook?: { url: string; secret: string };
}

function readConnectors(config: Config): ConnectorSettings[] {
  const sources = config.getOptionalConfig('sessions.connectors.sources');
  if (!sources) return [];
  return sources.keys().map(id => {
    if (id === PORTAL_SOURCE) {
      throw new Error(
        `sessions.connectors.sources.${PORTAL_SOURCE} cannot be declared: portal sign-ins are reported by the backend's own sign-in tracking alone`,
      );
    }
    const source = sources.getConfig(id);
    const webhook = source.getOptionalConfig('webhook');
    const subjects = source.getStringArray('subjects');
    if (subjects.length === 0 || subjects.some(subject => !subject.trim())) {
      throw new Error(
        `sessions.connectors.sources.${id}.subjects must name at least one credential subject`,
      );
    }
    return {
      id,
      title: source.getOptionalString('title') ?? id,
      subjects,
      webhook: webhook && {
        url: webhook.getString('url'),
        secret: webhook.getString('secret'),
      },
    };
  });
}

/**
 * `sessions.personalTimeouts`: each range must hold the portal's own time,
 * so that people who choose nothing are within it too.
 */
function readPersonalTimeouts(
  config: Config,
  defaults: { idleAfterMs: number; disconnectAfterMs: number },
  maxLifetimeMs: number,
): PersonalTimeoutBounds | undefined {
  const section = config.getOptionalConfig('sessions.personalTimeouts');
  if (!section) return undefined;
  const range = (name: 'idleAfter' | 'disconnectAfter'): BoundsMs => {
    const key = `sessions.personalTimeouts.${name}`;
    const read = (end: 'min' | 'max') =>
      toMillis(readDurationFromConfig(config, { key: `${key}.${end}` }));
    const bounds = { minMs: read('min'), maxMs: read('max') };
    const portal = defaults[`${name}Ms`];
    if (bounds.minMs <= 0) {
      throw new Error(`${key}.min must be longer than zero`);
    }
    if (bounds.minMs > portal || bounds.maxMs < portal) {
      throw new Error(
        `${key} must include sessions.${name}: min at most it, max at least it`,
      );
    }
    return bounds;
  };
  const bounds = {
    idleAfterMs: range('idleAfter'),
    disconnectAfterMs: range('disconnectAfter'),
  };
  if (bounds.disconnectAfterMs.maxMs > maxLifetimeMs) {
    throw new Error(
      'sessions.personalTimeouts.disconnectAfter.max must be at most sessions.maxLifetime',
    );
  }
  return bounds;
}

/** Reads `sessions.*` from app-config and checks the timeouts are in order. */
export function readSessionsSettings(config: Config): SessionsSettings {
  const settings: SessionsSettings = {
    idleAfterMs: toMillis(
      readDuration(config, 'sessions.idleAfter', DEFAULTS.idleAfter),
    ),
    warnAfterMs: toMillis(
      readDuration(config, 'sessions.warnAfter', DEFAULTS.warnAfter),
    ),
    disconnectAfterMs: toMillis(
      readDuration(
        config,
        'sessions.disconnectAfter',
        DEFAULTS.disconnectAfter,
      ),
    ),
    maxLifetimeMs: toMillis(
      readDuration(config, 'sessions.maxLifetime', DEFAULTS.maxLifetime),
    ),
    sweepFrequency: readDuration(
      config,
      'sessions.sweep.frequency',
      DEFAULTS.sweepFrequency,
    ),
    confirmWithinMs: toMillis(
      readDuration(
        config,
        'sessions.connectors.confirmWithin',
        DEFAULTS.confirmWithin,
      ),
    ),
    offlineAfterMs: toMillis(
      readDuration(
        config,
        'sessions.connectors.offlineAfter',
        DEFAULTS.offlineAfter,
      ),
    ),
    connectors: readConnectors(config),
    mfa: readMfa(config),
    stepUp: readStepUp(config),
    permissionCacheTtlMs: toMillis(
      readDuration(
        config,
        'sessions.permissions.cacheTtl',
        DEFAULTS.permissionCacheTtl,
      ),
    ),
    retentionMs: toMillis(
      readDuration(config, 'sessions.retention', DEFAULTS.retention),
    ),
    // Only where someone is developing or testing: a deployment started
    // without NODE_ENV must not answer 500 for a contract slip.
    checkApiContract:
      config.getOptionalBoolean('sessions.checkApiContract') ??
      ['development', 'test'].includes(process.env.NODE_ENV ?? ''),
    limits: readLimits(config),
    anomaly: readAnomalySettings(config),
    signIn: readSignIn(config),
    reports: readReports(config),
    idleWarningMessage:
      config.getOptionalString('sessions.idleWarning.message') ??
      DEFAULT_IDLE_WARNING,
    geo: {
      enabled: config.getOptionalBoolean('sessions.geo.enabled') ?? true,
      database: config.getOptionalString('sessions.geo.database'),
    },
    managers: {
      enabled: config.getOptionalBoolean('sessions.managers.enabled') ?? true,
      syncFrequency: readDuration(
        config,
        'sessions.managers.syncFrequency',
        DEFAULTS.managersSyncFrequency,
      ),
    },
  };
  if (settings.idleAfterMs <= 0) {
    throw new Error('sessions.idleAfter must be longer than zero');
  }
  if (settings.warnAfterMs < settings.idleAfterMs) {
    throw new Error('sessions.warnAfter must be at least sessions.idleAfter');
  }
  if (settings.disconnectAfterMs <= settings.warnAfterMs) {
    throw new Error(
      'sessions.disconnectAfter must be longer than sessions.warnAfter',
    );
  }
  if (settings.confirmWithinMs <= 0) {
    throw new Error(
      'sessions.connectors.confirmWithin must be longer than zero',
    );
  }
  if (settings.stepUp.enabled && !settings.mfa.encryptionKey) {
    throw new Error(
      'sessions.stepUp.enabled needs sessions.mfa.encryptionKey to be set',
    );
  }
  if (settings.maxLifetimeMs <= 0) {
    throw new Error('sessions.maxLifetime must be longer than zero');
  }
  if (settings.retentionMs < 24 * 3_600_000) {
    throw new Error('sessions.retention must be at least one day');
  }
  settings.personalTimeouts = readPersonalTimeouts(
    config,
    settings,
    settings.maxLifetimeMs,
  );
  return settings;
}
