import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A connector's webhook endpoint that answers with the statuses given;
 * a redirect status points at `location`.
 */
export async function receiver(statuses: number[], location?: string) {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> =
    [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      if (location && res.statusCode >= 300 && res.statusCode < 400) {
        res.setHeader('location', location);
      }
      res.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, received, close: () => server.close() };
}
