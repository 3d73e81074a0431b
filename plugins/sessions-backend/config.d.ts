import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Active Sessions plugin. */
  sessions?: {
    /**
     * An active session without activity for this long becomes idle.
     * A duration object or a string such as '5m'. Default 5 minutes.
     */
    idleAfter?: HumanDuration | string;
    /**
     * An idle session without activity for this long is marked with an idle
     * warning. At least idleAfter. Default 10 minutes.
     */
    warnAfter?: HumanDuration | string;
    /**
     * A session without activity for this long is disconnected
     * (end reason idle_timeout). Longer than warnAfter. Default 30 minutes.
     */
    disconnectAfter?: HumanDuration | string;
    /**
     * Any open session is disconnected this long after it started
     * (end reason max_lifetime). Default 12 hours.
     */
    maxLifetime?: HumanDuration | string;
    /**
     * Lets each person choose their own idle and disconnect times on the
     * page, within these ranges (each must include the portal's own
     * idleAfter / disconnectAfter). Their warning comes as long before
     * their disconnect as the portal's does. Absent: everyone has the
     * portal's times.
     */
    personalTimeouts?: {
      idleAfter: {
        min: HumanDuration | string;
        max: HumanDuration | string;
      };
      /** max at most maxLifetime. */
      disconnectAfter: {
        min: HumanDuration | string;
        max: HumanDuration | string;
      };
    };
    sweep?: {
      /** How often the idle and lifetime sweep runs. Default 30 seconds. */
      frequency?: HumanDuration | string;
    };
    /**
     * History (disconnected sessions, expired and revoked grants, with
     * their events, and acknowledged connector orders) older than this is
     * deleted by an hourly task, in small batches. At least a day.
     * Default 90 days.
     */
    retention?: HumanDuration | string;
    /**
     * Check every request the API accepts and every answer it gives against
     * its published OpenAPI spec (`/api/sessions/openapi.json`); a
     * disagreement is logged and answered with a 500. Meant for development
     * and tests. Default: on when NODE_ENV is `development` or `test`.
     */
    checkApiContract?: boolean;
    /** Concurrent session limits per person; none by default. */
    limits?: {
      /** Open sessions of any kind one person may hold at once. */
      maxPerUser?: number;
      /** Per kind (ssh, rdp, web, portal), counting only that kind. */
      perType?: { [kind: string]: number };
      /** Past the limit: refuse the new session, or end the oldest. Default deny. */
      onExceed?: 'deny' | 'endOldest';
    };
    /** Flagging unusual session starts for review. */
    anomaly?: {
      /** Default true. */
      enabled?: boolean;
      /** Devices and countries used within this long are known. Default 30 days; at least an hour. */
      lookback?: HumanDuration | string;
      /** Faster travel than this between two sessions (over 300 km apart) is flagged. Default 1000; more than 0. */
      maxSpeedKmh?: number;
    };
    /** Sessions people report as not theirs ("Not me" on the page). */
    reports?: {
      /**
       * Entity refs told of each report through Backstage notifications,
       * such as group:default/security. Nobody is told when unset.
       */
      notify?: string[];
    };
    idleWarning?: {
      /**
       * What people are told when a session reaches warnAfter; {type},
       * {resource} and {minutes} are filled in.
       */
      message?: string;
    };
    /** Where sessions come from, looked up once from the address at ingest. */
    geo?: {
      /** Look addresses up at all. Default true. */
      enabled?: boolean;
      /**
       * Path to a MaxMind-format database (.mmdb). Default: the country-level
       * database of @ip-location-db/geo-whois-asn-country-mmdb (CC0). Point it
       * at GeoLite2 City or GeoIP2 City for cities and coordinates.
       */
      database?: string;
    };
    /**
     * A second factor at portal sign-in, for people who set up two-factor
     * authentication (needs `sessions.mfa.encryptionKey`).
     */
    signIn?: {
      /**
       * 'never' (default); 'newDevice': a browser that has not passed the
       * code within `rememberDevice`; 'always': every sign-in. Such a
       * sign-in is listed as waiting for its code and its tokens are
       * refused by every plugin until the code is given.
       */
      secondFactor?: 'never' | 'newDevice' | 'always';
      /** How long a browser that passed needs no code again. Default 30 days. */
      rememberDevice?: HumanDuration | string;
      /**
       * A sign-in waiting for its code is ended after this long. Default 5
       * minutes; at least 30 seconds.
       */
      codeTimeout?: HumanDuration | string;
    };
    /** Portal sign-ins: how every plugin enforces signing a browser out. */
    portal?: {
      /**
       * How often each backend process re-reads ended sign-ins from the
       * database: the longest a signed-out browser's token still works.
       * Default 5 seconds; at least 500 ms.
       */
      refreshInterval?: HumanDuration | string;
      /**
       * What every plugin does with user tokens once that list could not be
       * read for three intervals: 'allow' them (default; a sign-out is then
       * enforced only when the token expires) or 'deny' them (the portal is
       * unusable until the database is back).
       */
      whenUnavailable?: 'allow' | 'deny';
      /**
       * How often an open portal tab reports that it is still there (its
       * sign-in's last activity). Default 30 seconds.
       */
      heartbeatInterval?: HumanDuration | string;
    };
    permissions?: {
      /**
       * How long one caller's permission decision (allow, deny or the
       * conditions) is reused before the policy is asked again. Default 5
       * seconds; 0 asks on every request. A policy change or a change of
       * someone's groups applies after at most this long.
       */
      cacheTtl?: HumanDuration | string;
    };
    /**
     * Managers from the catalog: owners of a Group (its `ownedBy`
     * relations) manage its members and the members of groups below it.
     * The IS_MANAGED_BY permission rules read a copy of this that a task
     * refreshes.
     */
    managers?: {
      /** Read group owners from the catalog. Default true. */
      enabled?: boolean;
      /** How often the copy is refreshed. Default 5 minutes. */
      syncFrequency?: HumanDuration | string;
    };
    /** The connectors that report sessions and grants and carry out cuts. */
    connectors?: {
      /**
       * A session or grant ended here and not confirmed cut by its connector
       * within this is flagged "not confirmed" on the page. Default 30 s.
       */
      confirmWithin?: HumanDuration | string;
      /**
       * A connector that has not read its order feed for this long is shown
       * offline. Default 2 minutes (connectors long-poll every ~25 s).
       */
      offlineAfter?: HumanDuration | string;
      /**
       * Known connectors by id (the `source` they report with). A source
       * not declared here is refused on every connector route. `portal`
       * is the backend's own sign-in tracking and cannot be declared.
       */
      sources?: {
        [id: string]: {
          /** Shown to admins; defaults to the id. */
          title?: string;
          /**
           * The service credentials that may speak for this source: the
           * `subject` of a `backend.auth.externalAccess` entry (a static
           * token's `subject`, `external:<sub>` for a JWKS token), or
           * `plugin:<id>` for a backend plugin. Every other caller is
           * refused with 403, so a connector's token cannot report, end,
           * read or acknowledge another connector's sessions and orders.
           */
          subjects: string[];
          /**
           * Push every order to this URL as well as the pull feed, signed
           * with HMAC-SHA256 (see README).
           */
          webhook?: {
            url: string;
            /** @visibility secret */
            secret: string;
          };
        };
      };
    };
    /** The plugin's own second factor (TOTP) for step-up. */
    mfa?: {
      /**
       * 32 random bytes in base64 (`openssl rand -base64 32`) that encrypt
       * TOTP secrets (AES-256-GCM) and sign step-up proofs. Without it,
       * enrolment is refused. Take it from an environment variable.
       * @visibility secret
       */
      encryptionKey?: string;
      /**
       * Keys secrets were encrypted with before a rotation; they are
       * re-encrypted with encryptionKey on their next use.
       * @visibility secret
       */
      previousEncryptionKeys?: string[];
      /** Shown in authenticator apps. Default "Backstage". */
      issuer?: string;
      lockout?: {
        /** Wrong codes within `window` that lock verification. Default 5. */
        maxFailures?: number;
        /** Default 15 minutes. */
        window?: HumanDuration | string;
        /** How long verification stays locked. Default 15 minutes. */
        duration?: HumanDuration | string;
      };
    };
    /** A fresh second-factor check before critical actions. */
    stepUp?: {
      /** Default false. Needs sessions.mfa.encryptionKey. */
      enabled?: boolean;
      /** How long a passed check counts as fresh. Default 5 minutes. */
      maxAge?: HumanDuration | string;
      /**
       * The guarded actions; default all of them: end-all-sessions,
       * bulk-revoke, act-for-others, offboard, disable-mfa.
       */
      actions?: string[];
    };
  };
}
