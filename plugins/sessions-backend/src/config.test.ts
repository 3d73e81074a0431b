import { ConfigReader } from '@backstage/config';
import { readSessionsSettings } from './config';

const read = (sessions: object) =>
  readSessionsSettings(new ConfigReader({ sessions }));

describe('readSessionsSettings', () => {
  it('uses the documented defaults', () => {
    expect(readSessionsSettings(new ConfigReader({}))).toEqual({
      idleAfterMs: 5 * 60_000,
      warnAfterMs: 10 * 60_000,
      disconnectAfterMs: 30 * 60_000,
      maxLifetimeMs: 12 * 3_600_000,
      sweepFrequency: { seconds: 30 },
      confirmWithinMs: 30_000,
      offlineAfterMs: 120_000,
      connectors: [],
      mfa: {
        encryptionKey: undefined,
        previousEncryptionKeys: [],
        issuer: 'Backstage',
        lockout: { maxFailures: 5, windowMs: 900_000, durationMs: 900_000 },
      },
      stepUp: {
        enabled: false,
        maxAgeMs: 300_000,
        actions: [
          'end-all-sessions',
          'bulk-revoke',
          'act-for-others',
          'offboard',
          'unlock',
          'disable-mfa',
        ],
      },
      managers: { enabled: true, syncFrequency: { minutes: 5 } },
      permissionCacheTtlMs: 5_000,
      retentionMs: 90 * 24 * 3_600_000,
      // Jest runs with NODE_ENV=test: checked, as in development.
      checkApiContract: true,
      geo: { enabled: true, database: undefined },
      limits: undefined,
      anomaly: {
        enabled: true,
        lookbackMs: 30 * 86_400_000,
        maxSpeedKmh: 1000,
      },
      signIn: {
        secondFactor: 'never',
        rememberDeviceMs: 30 * 86_400_000,
        codeTimeoutMs: 5 * 60_000,
      },
      reports: { notify: [] },
      idleWarningMessage:
        'Your {type} session to {resource} will be disconnected in {minutes} minutes',
    });
  });

  it('reads the second factor at sign-in, and refuses it without an encryption key', () => {
    expect(
      read({
        mfa: { encryptionKey: Buffer.alloc(32, 1).toString('base64') },
        signIn: { secondFactor: 'newDevice', codeTimeout: '2m' },
      }).signIn,
    ).toEqual({
      secondFactor: 'newDevice',
      rememberDeviceMs: 30 * 86_400_000,
      codeTimeoutMs: 120_000,
    });
    expect(() => read({ signIn: { secondFactor: 'always' } })).toThrow(
      'sessions.signIn.secondFactor needs sessions.mfa.encryptionKey to be set',
    );
    expect(() => read({ signIn: { secondFactor: 'sometimes' } })).toThrow(
      "sessions.signIn.secondFactor must be one of never, newDevice, always, not 'sometimes'",
    );
  });

  it('reads who is told of reported sessions, and refuses what is not an entity ref', () => {
    expect(
      read({
        reports: { notify: ['group:default/Security', 'user:default/sam'] },
      }).reports,
    ).toEqual({ notify: ['group:default/security', 'user:default/sam'] });
    expect(() => read({ reports: { notify: ['security'] } })).toThrow(
      "sessions.reports.notify[0] must be an entity ref such as group:default/security, not 'security'",
    );
  });

  it('reads how managers come from the catalog', () => {
    expect(
      read({ managers: { enabled: false, syncFrequency: '30s' } }).managers,
    ).toEqual({ enabled: false, syncFrequency: { seconds: 30 } });
  });

  it('reads the connectors, their titles, credentials and webhooks', () => {
    const settings = read({
      connectors: {
        confirmWithin: '5s',
        offlineAfter: { seconds: 90 },
        sources: {
          'ssh-bastion': {
            title: 'SSH bastion',
            subjects: ['ssh-bastion', 'external:old-shared'],
            webhook: { url: 'https://bastion.example/orders', secret: 's3' },
          },
          'web-proxy': { subjects: ['web-proxy'] },
        },
      },
    });
    expect(settings).toMatchObject({
      confirmWithinMs: 5_000,
      offlineAfterMs: 90_000,
      connectors: [
        {
          id: 'ssh-bastion',
          title: 'SSH bastion',
          subjects: ['ssh-bastion', 'external:old-shared'],
          webhook: { url: 'https://bastion.example/orders', secret: 's3' },
        },
        {
          id: 'web-proxy',
          title: 'web-proxy',
          subjects: ['web-proxy'],
          webhook: undefined,
        },
      ],
    });
  });

  it('refuses a webhook without a secret, naming the setting', () => {
    expect(() =>
      read({
        connectors: {
          sources: {
            bastion: {
              subjects: ['bastion'],
              webhook: { url: 'https://b.example' },
            },
          },
        },
      }),
    ).toThrow(/sessions\.connectors\.sources\.bastion\.webhook\.secret/);
  });

  it('refuses a source without credentials, or one named portal, naming the setting', () => {
    expect(() =>
      read({ connectors: { sources: { bastion: { title: 'B' } } } }),
    ).toThrow(/sessions\.connectors\.sources\.bastion\.subjects/);
    expect(() =>
      read({ connectors: { sources: { bastion: { subjects: [] } } } }),
    ).toThrow(/sessions\.connectors\.sources\.bastion\.subjects/);
    expect(() =>
      read({ connectors: { sources: { portal: { subjects: ['x'] } } } }),
    ).toThrow(/sessions\.connectors\.sources\.portal cannot be declared/);
  });

  it('reads duration objects and strings', () => {
    const settings = read({
      idleAfter: { minutes: 2 },
      warnAfter: '4m',
      disconnectAfter: 'PT10M',
      maxLifetime: { days: 7 },
    });
    expect(settings).toMatchObject({
      idleAfterMs: 2 * 60_000,
      warnAfterMs: 4 * 60_000,
      disconnectAfterMs: 10 * 60_000,
      maxLifetimeMs: 7 * 86_400_000,
    });
  });

  it('refuses timeouts out of order, naming the setting', () => {
    expect(() => read({ idleAfter: { minutes: 20 } })).toThrow(
      'sessions.warnAfter must be at least sessions.idleAfter',
    );
    expect(() =>
      read({ warnAfter: { minutes: 40 }, disconnectAfter: { minutes: 30 } }),
    ).toThrow(
      'sessions.disconnectAfter must be longer than sessions.warnAfter',
    );
    expect(() => read({ retention: '1h' })).toThrow(
      'sessions.retention must be at least one day',
    );
    expect(read({ retention: { days: 30 } }).retentionMs).toBe(30 * 86_400_000);
  });

  it('reads the ranges of personal timeouts and refuses ones that leave out the portal times', () => {
    const personal = {
      idleAfter: { min: '2m', max: { hours: 1 } },
      disconnectAfter: { min: { minutes: 15 }, max: '4h' },
    };
    expect(read({}).personalTimeouts).toBeUndefined();
    expect(read({ personalTimeouts: personal }).personalTimeouts).toEqual({
      idleAfterMs: { minMs: 2 * 60_000, maxMs: 3_600_000 },
      disconnectAfterMs: { minMs: 15 * 60_000, maxMs: 4 * 3_600_000 },
    });
    expect(() =>
      read({
        personalTimeouts: {
          ...personal,
          idleAfter: { min: '10m', max: '1h' },
        },
      }),
    ).toThrow(
      'sessions.personalTimeouts.idleAfter must include sessions.idleAfter',
    );
    expect(() =>
      read({
        personalTimeouts: {
          ...personal,
          disconnectAfter: { min: '15m', max: '20m' },
        },
      }),
    ).toThrow(
      'sessions.personalTimeouts.disconnectAfter must include sessions.disconnectAfter',
    );
    expect(() =>
      read({
        maxLifetime: '3h',
        personalTimeouts: personal,
      }),
    ).toThrow(
      'sessions.personalTimeouts.disconnectAfter.max must be at most sessions.maxLifetime',
    );
    expect(() =>
      read({ personalTimeouts: { idleAfter: personal.idleAfter } }),
    ).toThrow(/sessions\.personalTimeouts\.disconnectAfter/);
  });

  it('reads concurrent session limits and refuses bad ones, naming the setting', () => {
    expect(
      read({
        limits: { maxPerUser: 5, perType: { ssh: 2 }, onExceed: 'endOldest' },
      }).limits,
    ).toEqual({ maxPerUser: 5, perType: { ssh: 2 }, onExceed: 'endOldest' });
    expect(read({ limits: { maxPerUser: 3 } }).limits?.onExceed).toBe('deny');
    expect(() => read({ limits: { maxPerUser: 0 } })).toThrow(
      'sessions.limits.maxPerUser must be a whole number of at least 1',
    );
    expect(() => read({ limits: { perType: { telnet: 1 } } })).toThrow(
      'sessions.limits.perType.telnet is not a kind of session',
    );
    expect(() => read({ limits: { onExceed: 'kick' } })).toThrow(
      "sessions.limits.onExceed must be 'deny' or 'endOldest'",
    );
  });

  it('refuses anomaly settings that would flag everything or nothing, naming the setting', () => {
    expect(() => read({ anomaly: { maxSpeedKmh: 0 } })).toThrow(
      'sessions.anomaly.maxSpeedKmh must be more than 0',
    );
    expect(() => read({ anomaly: { lookback: { minutes: 0 } } })).toThrow(
      'sessions.anomaly.lookback must be at least an hour',
    );
    expect(
      read({ anomaly: { lookback: { days: 7 } } }).anomaly.lookbackMs,
    ).toBe(7 * 86_400_000);
  });

  it('reads the MFA key and refuses one of the wrong length, naming the setting', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(read({ mfa: { encryptionKey: key } }).mfa.encryptionKey).toEqual(
      Buffer.alloc(32, 7),
    );
    expect(() => read({ mfa: { encryptionKey: 'c2hvcnQ=' } })).toThrow(
      'sessions.mfa.encryptionKey must be 32 random bytes in base64',
    );
  });

  it('refuses the published development key in production, saying how to make one', () => {
    const devKey = 'ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtMDAwMDAwMDA=';
    const nodeEnv = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      expect(() => read({ mfa: { encryptionKey: devKey } })).toThrow(
        /sessions\.mfa\.encryptionKey is the development key .*openssl rand -base64 32/,
      );
      const ownKey = Buffer.alloc(32, 3).toString('base64');
      expect(
        read({ mfa: { encryptionKey: ownKey } }).mfa.encryptionKey,
      ).toEqual(Buffer.alloc(32, 3));
      // The dev portal keeps it.
      process.env.NODE_ENV = 'development';
      expect(
        read({ mfa: { encryptionKey: devKey } }).mfa.encryptionKey,
      ).toEqual(Buffer.from(devKey, 'base64'));
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });

  it('checks traffic against the OpenAPI spec in development and tests only, unless told', () => {
    const nodeEnv = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      expect(read({}).checkApiContract).toBe(false);
      delete process.env.NODE_ENV;
      expect(read({}).checkApiContract).toBe(false);
      expect(read({ checkApiContract: true }).checkApiContract).toBe(true);
      process.env.NODE_ENV = 'development';
      expect(read({}).checkApiContract).toBe(true);
      expect(read({ checkApiContract: false }).checkApiContract).toBe(false);
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });

  it('refuses step-up without an MFA key, and unknown step-up actions', () => {
    expect(() => read({ stepUp: { enabled: true } })).toThrow(
      'sessions.stepUp.enabled needs sessions.mfa.encryptionKey to be set',
    );
    expect(() =>
      read({ stepUp: { actions: ['end-all-sessions', 'reboot'] } }),
    ).toThrow('sessions.stepUp.actions[1] must be one of');
  });
});
