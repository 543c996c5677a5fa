import { z } from 'zod';

const HOST_AND_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+):(\d{1,5})$/;

/**
 * NATS_URL: one server, or a comma-separated list of the servers of a cluster. The client
 * connects to whichever of them answers, so one node being down does not keep a process
 * from starting.
 */
export function natsServers(natsUrl: string): string[] {
  const { servers, problem } = parseNatsUrl(natsUrl);
  if (problem !== undefined) throw new Error(`NATS_URL: ${problem}`);
  return servers;
}

/**
 * `maxReconnectAttempts` for a client that gives up when no listed server answers. Not 0 or 1:
 * nats.js then drops a second server from the list, one it has not tried yet, whenever a server
 * fails the first connect, so a list with a node down could fail although another answers.
 */
export const NATS_GIVE_UP_RECONNECT_ATTEMPTS = 2;

/** NATS_URL as a setting, refused at start-up when an entry is not a server address. */
export const natsUrlSetting = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((value, context) => {
      const { problem } = parseNatsUrl(value);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    });

function parseNatsUrl(natsUrl: string): { servers: string[]; problem?: string } {
  const servers = natsUrl
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (servers.length === 0) return { servers, problem: 'lists no server; give nats://host:port or host:port, several separated by commas' };
  const malformed = servers.find((server) => !isServerAddress(server));
  if (malformed !== undefined) return { servers, problem: `"${malformed}" is not a NATS server; give nats://host:port or host:port, several separated by commas` };
  return { servers };
}

function isServerAddress(entry: string): boolean {
  if (!entry.includes('://')) return validPort(HOST_AND_PORT.exec(entry)?.[2]);
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return false;
  }
  return (
    url.protocol === 'nats:' &&
    url.hostname !== '' &&
    (url.port === '' || validPort(url.port)) &&
    (url.pathname === '' || url.pathname === '/') &&
    url.search === '' &&
    url.hash === ''
  );
}

function validPort(port: string | undefined): boolean {
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65_535;
}
