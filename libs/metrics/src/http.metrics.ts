import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';

/** Requests no route matched (404s, probes, scanners): one label value, whatever their URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * HTTP RED per route: `orders_http_requests_total{method,route,status}` and
 * `orders_http_request_duration_seconds{method,route}`. The route is the pattern the
 * request matched (`/api/v1/orders/:id`), never its URL, so ids and query strings cannot
 * multiply the series. Measured as Express middleware installed before every other, so
 * requests turned away early (rate limit, unparsable body, unknown route) count too.
 */
@Injectable()
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'orders_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'orders_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its answer, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    });
  }

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    response.once('finish', () => {
      const labels = { method: request.method, route: routeOf(request) };
      this.requests.inc({ ...labels, status: String(response.statusCode) });
      this.duration.observe(labels, (performance.now() - started) / 1000);
    });
    next();
  };
}

function routeOf(request: Request): string {
  const pattern: unknown = (request.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${request.baseUrl}${pattern}` : UNMATCHED_ROUTE;
}
