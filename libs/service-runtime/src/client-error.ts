import { HEADERS } from '@orders/contracts';
import { randomUUID } from 'node:crypto';
import { Server, ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorBody } from './http-error.filter';

/** What Node's HTTP parser reports, by error code, for requests it cannot read. */
const PARSER_REFUSALS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', message: 'The request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request was not received in time' },
};
const MALFORMED = { status: 400, code: 'MALFORMED_REQUEST', message: 'The request is not valid HTTP (e.g. a CR or LF inside a header, or conflicting body lengths)' };

/**
 * Answers requests Node's HTTP parser refuses before any middleware sees them (a bare CR or
 * LF in a header, a NUL byte, both Content-Length and Transfer-Encoding, oversized headers)
 * in the platform's error shape instead of Node's empty `400 Bad Request`.
 */
export function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own handler makes the same check: never write into a response already on its way.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, code, message } = PARSER_REFUSALS[error.code ?? ''] ?? MALFORMED;
    const requestId = randomUUID();
    const body: ErrorBody = { error: { code, message }, requestId };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\n${HEADERS.requestId}: ${requestId}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
}
