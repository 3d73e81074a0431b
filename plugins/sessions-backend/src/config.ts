import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { Duration } from 'luxon';

/** Session lifetime settings, in milliseconds. */
export interface SessionsSettings {
  idleAfterMs: number;
  warnAfterMs: number;
  disconnectAfterMs: number;
  maxLifetimeMs: number;
  sweepFrequency: HumanDuration;
}

const DEFAULTS = {
  idleAfter: { minutes: 5 },
  warnAfter: { minutes: 10 },
  disconnectAfter: { minutes: 30 },
  maxLifetime: { hours: 12 },
  sweepFrequency: { seconds: 30 },
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
  if (settings.maxLifetimeMs <= 0) {
    throw new Error('sessions.maxLifetime must be longer than zero');
  }
  return settings;
}
