import { BlockList, isIP } from 'node:net';
import maxmind, { CityResponse, Reader } from 'maxmind';

/** Where an address is, as far as the database knows. */
export interface GeoLocation {
  /** What people read: "Berlin, Germany", "Germany", "Private network". */
  location: string;
  countryCode?: string;
  latitude?: number;
  longitude?: number;
}

/** The country-level database shipped on npm (CC0), the default. */
export const DEFAULT_GEO_DATABASE =
  require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');

/** Loopback, private, link-local and unique-local ranges. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Both layouts: GeoLite2/GeoIP2 City or Country, and ip-location-db's. */
interface GeoRecord {
  country_code?: string;
  country?: { iso_code?: string };
  city?: { names?: { en?: string } };
  location?: { latitude?: number; longitude?: number };
}

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * Looks addresses up in a MaxMind-format database (the `maxmind` reader),
 * once per session at ingest.
 */
export class GeoLocator {
  private constructor(private readonly reader: Reader<CityResponse>) {}

  static async open(path: string = DEFAULT_GEO_DATABASE) {
    return new GeoLocator(await maxmind.open<CityResponse>(path));
  }

  /** Undefined for an address the database does not know (or not an IP). */
  locate(address: string | null | undefined): GeoLocation | undefined {
    if (!address) return undefined;
    // IPv4 mapped into IPv6, as Node reports it on dual-stack sockets.
    const ip = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    const family = isIP(ip);
    if (!family) return undefined;
    if (PRIVATE.check(ip, family === 4 ? 'ipv4' : 'ipv6')) {
      return { location: 'Private network' };
    }
    // ip-location-db's records are flat; MaxMind's are nested.
    const record = this.reader.get(ip) as GeoRecord | null;
    const countryCode = record?.country?.iso_code ?? record?.country_code;
    if (!record || !countryCode) return undefined;
    const country = countryNames.of(countryCode) ?? countryCode;
    const city = record.city?.names?.en;
    return {
      location: city ? `${city}, ${country}` : country,
      countryCode,
      latitude: record.location?.latitude,
      longitude: record.location?.longitude,
    };
  }
}
