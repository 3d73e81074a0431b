import { z } from 'zod';

/*
 * Instants are stored as epoch milliseconds in BIGINT columns. A field takes
 * an ISO 8601 instant with its offset, within a sane range: nothing this
 * plugin tracks happened before 2000, and 2100 is a plain sanity bound.
 * Bounds relative to the clock are the services' business, which know
 * "now": a reported start or activity may be at most ALLOWED_CLOCK_SKEW_MS
 * ahead, and a grant may end at most MAX_GRANT_TERM_MS from now.
 */

/** @public */
export const EARLIEST_INSTANT = '2000-01-01T00:00:00Z';
/** @public */
export const LATEST_INSTANT = '2100-01-01T00:00:00Z';

/**
 * How far ahead of the backend's clock a connector's clock may run.
 *
 * @public
 */
export const ALLOWED_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The longest a reported grant may still run: a year and a day. A "timed"
 * grant ending in 9999 is standing access, which this plugin does not track
 * as a grant.
 *
 * @public
 */
export const MAX_GRANT_TERM_MS = 366 * 24 * 3_600_000;

const earliest = Date.parse(EARLIEST_INSTANT);
const latest = Date.parse(LATEST_INSTANT);

/**
 * An ISO 8601 instant with an offset, from 2000 up to (not including) 2100.
 *
 * @public
 */
export const instantSchema = z.iso
  .datetime({
    offset: true,
    message:
      'must be an ISO 8601 instant with an offset, e.g. 2026-01-01T09:00:00Z',
  })
  .refine(
    value => {
      const at = Date.parse(value);
      return at >= earliest && at < latest;
    },
    { message: `must be from ${EARLIEST_INSTANT} to before ${LATEST_INSTANT}` },
  );
