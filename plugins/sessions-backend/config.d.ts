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
    sweep?: {
      /** How often the idle and lifetime sweep runs. Default 30 seconds. */
      frequency?: HumanDuration | string;
    };
  };
}
