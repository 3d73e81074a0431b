import { UAParser } from 'ua-parser-js';

/**
 * A person-readable device from a browser's user agent, such as
 * "Firefox 130 on Mac OS" or "Chrome 129 on Android (mobile)".
 */
export function describeDevice(userAgent: string | undefined) {
  if (!userAgent) return undefined;
  const { browser, os, device } = new UAParser(userAgent).getResult();
  if (!browser.name && !os.name) return undefined;
  const major = browser.major ? ` ${browser.major}` : '';
  const name = browser.name ? `${browser.name}${major}` : 'Browser';
  const system = os.name ? ` on ${os.name}` : '';
  const kind =
    device.type === 'mobile' || device.type === 'tablet'
      ? ` (${device.type})`
      : '';
  return `${name}${system}${kind}`;
}
