import { chaosPlatformOptions } from './chaos/run';
import { expectShortSoakToPass, SHORT_RUN } from './chaos/short-runs';
import { platformForSuite } from './support/platform';

describe('chaos soak (short)', () => {
  const platform = platformForSuite(chaosPlatformOptions(SHORT_RUN));

  it('keeps every invariant while apps are killed, NATS restarts, connections drop and providers misbehave', () => expectShortSoakToPass(platform, SHORT_RUN), 900_000);
});
