import { HttpStatus } from '@nestjs/common';
import { ApiError } from '@orders/service-runtime';
import type { Request, Response } from 'express';
import { UpstreamResponse } from '../application/upstream';

/** The body to pass upstream: JSON as the client sent it (re-serialized after parsing), nothing else. */
export function forwardedBody(request: Request): string | undefined {
  if (request.method === 'GET' || request.method === 'HEAD' || !hasBody(request)) return undefined;
  if (request.is('application/json') && request.body !== undefined) return JSON.stringify(request.body);
  throw new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json');
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The request's query string, including its leading `?`, or an empty string. */
export function queryString(request: Request): string {
  return new URL(request.originalUrl, 'http://gateway.invalid').search;
}

/** Answers the client with the upstream's status, body and relayed headers. */
export function relay(response: Response, upstream: UpstreamResponse): void {
  response.status(upstream.status);
  for (const [name, value] of Object.entries(upstream.headers)) response.setHeader(name, value);
  response.end(upstream.body);
}
