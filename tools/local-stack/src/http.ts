import { waitFor, WaitForOptions } from '@orders/local-processes';

const REQUEST_TIMEOUT_MS = 2_000;

/** One GET of `url`; throws unless it answers with a 2xx status. */
export async function checkHttpOk(url: string): Promise<true> {
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  // The body is not needed; cancelling it releases the connection right away.
  await response.body?.cancel();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return true;
}

/** Polls `url` with GET until it answers with a 2xx status. */
export async function waitForHttpOk(url: string, options: Partial<WaitForOptions> = {}): Promise<void> {
  await waitFor(() => checkHttpOk(url), { description: `GET ${url} to answer 2xx`, ...options });
}
