import { UpstreamName } from '../application/upstream';

/** Where the services behind the gateway live and how long to wait for them at most, within each request's deadline. */
export abstract class UpstreamSettings {
  abstract readonly baseUrls: Readonly<Record<UpstreamName, string>>;
  abstract readonly timeoutMs: number;
}
