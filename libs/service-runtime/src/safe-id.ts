const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether a request or correlation id from a header is fit to keep and pass on. */
export function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_ID.test(value);
}
