import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** The aggregator's HTTP endpoints: `GET /metrics` (Prometheus) and `GET /status` (JSON). */
export class MetricsServer {
  private readonly http: Server;

  constructor(registry: Registry, status: () => object) {
    this.http = createServer((req, res) => {
      const route = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && route === '/metrics') {
        void registry.metrics().then((text) => {
          res.setHeader('content-type', registry.contentType);
          res.end(text);
        });
        return;
      }
      if (req.method === 'GET' && route === '/status') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(status()));
        return;
      }
      res.statusCode = 404;
      res.end();
    });
  }

  /** Bound port (after {@link listen}). */
  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections?.();
  }
}
