import { Deadline } from '@orders/request-context';

/** The services the gateway forwards requests to. */
export type UpstreamName = 'order-service' | 'web-bff' | 'mobile-bff';

export interface UpstreamRequest {
  method: string;
  /** Path and query string, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Nothing is sent after it, and no answer waited for beyond it. */
  deadline: Deadline;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends a request to one of the services behind the gateway. */
export abstract class Upstream {
  /**
   * Rejects with UpstreamUnavailable or UpstreamTimeout when no answer arrives, and with
   * DeadlineExceeded when the request's deadline passed before it could be sent or answered.
   */
  abstract send(target: UpstreamName, request: UpstreamRequest): Promise<UpstreamResponse>;
}

/** The upstream could not be reached or failed to answer the question at all. */
export class UpstreamUnavailable extends Error {
  constructor(
    readonly upstream: string,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamUnavailable';
  }
}

/** The upstream did not answer in time. */
export class UpstreamTimeout extends Error {
  constructor(
    readonly upstream: string,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamTimeout';
  }
}
