import { chaosPlatformOptions } from './chaos/run';
import { expectShortSoakToPass, SHORT_CLUSTER_RUN } from './chaos/short-runs';
import { platformForSuite } from './support/platform';

describe('chaos soak on the replicated topology (short)', () => {
  const platform = platformForSuite(chaosPlatformOptions(SHORT_CLUSTER_RUN));

  it(
    'keeps every invariant, with no dead letter, while replicas are killed, frozen and restarted, NATS nodes and the quorum are lost and Postgres restarts',
    () => expectShortSoakToPass(platform, SHORT_CLUSTER_RUN),
    1_200_000,
  );
});
