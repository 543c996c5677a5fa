/** A server the stack depends on: either found running, or started (and later stopped) by the stack. */
export interface BackingService {
  url: string;
  startedByStack: boolean;
  stop(): Promise<void>;
}

export function alreadyRunning(url: string): BackingService {
  return { url, startedByStack: false, stop: async () => undefined };
}
