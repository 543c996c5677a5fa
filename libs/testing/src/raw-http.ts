import { connect } from 'node:net';

const ANSWER_TIMEOUT_MS = 10_000;

export interface RawHttpResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes to an HTTP server exactly as given and reads its answer, for requests no HTTP
 * client lets through: a CR or LF inside a header, conflicting body lengths, raw non-ASCII
 * header bytes. `request` must ask for `Connection: close` (or be refused) so the server
 * ends the answer by closing the connection.
 */
export function rawHttpRequest(baseUrl: string, request: string | Buffer): Promise<RawHttpResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // Writing without ending: a server aborts a request whose client half-closes the connection.
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => socket.destroy(new Error(`No answer within ${ANSWER_TIMEOUT_MS} ms`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (hadError) return;
      try {
        resolve(parseResponse(Buffer.concat(chunks).toString('latin1')));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parseResponse(raw: string): RawHttpResponse {
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd === -1) throw new Error(`Not an HTTP response: ${JSON.stringify(raw.slice(0, 200))}`);
  const [statusLine, ...headerLines] = raw.slice(0, headerEnd).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const payload = raw.slice(headerEnd + 4);
  const body = headers['transfer-encoding'] === 'chunked' ? unchunk(payload) : payload;
  return { status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}

function unchunk(payload: string): string {
  let body = '';
  let rest = payload;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return body;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
