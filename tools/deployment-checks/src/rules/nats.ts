import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { NATS_REPLICAS } from '../deployment-contract';
import { named, ofKind, problemOf } from '../manifest';
import { missing, Rule } from './rule';

/** JetStream keeps three replicas of every stream, so NATS runs three servers; prod keeps their data on volumes. */
export const natsRules: Rule = ({ objects, overlay }) => {
  const nats = named(ofKind<IStatefulSet>(objects, 'apps/v1', 'StatefulSet'), 'nats');
  if (!nats) return [missing('StatefulSet', 'nats', 'the NATS StatefulSet is not rendered')];
  return [
    ...(nats.spec?.replicas === NATS_REPLICAS ? [] : [`runs ${nats.spec?.replicas ?? 1} replicas, not ${NATS_REPLICAS}`]),
    ...(overlay === 'prod' && (nats.spec?.volumeClaimTemplates ?? []).length === 0 ? ['has no volumeClaimTemplates in prod'] : []),
  ].map((message) => problemOf(nats, message));
};
