import { Problem } from '../../src';

/** The problems a broken variant adds to those of what it was made from, so a case shows only its own breakage. */
export function added(problems: readonly Problem[], baseline: readonly Problem[]): Problem[] {
  return problems.filter((problem) => !baseline.some((known) => known.object === problem.object && known.message === problem.message));
}
