/** Where and from what a person has had sessions lately. */
export interface UserHistory {
  /**
   * Devices per resource type: each kind of connector names devices in its
   * own words (a bastion's host name, a browser's user agent), so a device
   * is only ever compared with others of the same kind.
   */
  devices: Map<string, Set<string>>;
  countries: Set<string>;
  /** Their latest session with coordinates, for travel speed. */
  lastPlace?: { latitude: number; longitude: number; startedAt: number };
}

/** Reads people's recent sessions for anomaly rules. */
export interface UserHistoryStore {
  /**
   * Per user with any session started at or after `since`; the last place
   * only for `placesOf` (those whose new sessions have coordinates).
   */
  recentHistory(
    userRefs: string[],
    since: number,
    placesOf: string[],
  ): Promise<Map<string, UserHistory>>;
}
