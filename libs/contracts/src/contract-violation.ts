/**
 * A message that can never be processed as it is (malformed JSON, unknown type or
 * version, schema mismatch). Retrying does not help, so consumers treat it as permanent.
 */
export class ContractViolation extends Error {
  constructor(
    message: string,
    readonly issues: unknown = undefined,
  ) {
    super(message);
    this.name = 'ContractViolation';
  }
}
