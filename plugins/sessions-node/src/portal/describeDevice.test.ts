import { describeDevice } from './describeDevice';

describe('describeDevice', () => {
  it('names browser, major version and system of a desktop browser', () => {
    expect(
      describeDevice(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:130.0) Gecko/20100101 Firefox/130.0',
      ),
    ).toBe('Firefox 130 on Mac OS');
  });

  it('says when the browser runs on a phone', () => {
    expect(
      describeDevice(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36',
      ),
    ).toBe('Chrome 129 on Android (mobile)');
  });

  it('leaves agents it cannot read undescribed', () => {
    expect(describeDevice('curl/8.5.0')).toBeUndefined();
    expect(describeDevice(undefined)).toBeUndefined();
  });
});
