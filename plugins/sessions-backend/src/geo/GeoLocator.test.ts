import { GeoLocator } from './GeoLocator';

describe('GeoLocator with the shipped country database', () => {
  let geo: GeoLocator;
  beforeAll(async () => {
    geo = await GeoLocator.open();
  });

  it('names the country of a public address', () => {
    expect(geo.locate('8.8.8.8')).toEqual({
      location: 'United States',
      countryCode: 'US',
      latitude: undefined,
      longitude: undefined,
    });
    expect(geo.locate('81.2.69.160')?.location).toBe('United Kingdom');
    expect(geo.locate('::ffff:81.2.69.160')?.countryCode).toBe('GB');
  });

  it('says "Private network" for private, loopback and link-local addresses', () => {
    for (const address of [
      '10.1.2.3',
      '192.168.0.7',
      '172.20.1.1',
      '127.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      'fd12:3456::1',
      'fe80::1',
    ]) {
      expect(geo.locate(address)).toEqual({ location: 'Private network' });
    }
  });

  it('knows nothing of what is not an address', () => {
    expect(geo.locate('laptop-7')).toBeUndefined();
    expect(geo.locate(undefined)).toBeUndefined();
  });
});
