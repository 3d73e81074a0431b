import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A connector's webhook endpoint that answers with the statuses given. */
export async function receiver(statuses: number[]) {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> =
    [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, received, close: () => server.close() };
}
