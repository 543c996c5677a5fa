import type { ICluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster';
import { SERVICES_WITH_DATABASE } from '../deployment-contract';
import { named, ofKind, problemOf } from '../manifest';
import { missing, Rule } from './rule';

/** Besides the synchronous standbys a commit waits for, one more instance, so a standby can be down without stopping writes. */
const SPARE_STANDBYS = 1;

/**
 * In prod a commit is on a standby before it is acknowledged, so a failover loses nothing a
 * service already acted on: an order whose `order.placed` went out, an idempotency key, a
 * reservation, an authorization or a booked parcel (ADR 14).
 */
export const databaseRules: Rule = ({ objects, overlay }) => {
  if (overlay !== 'prod') return [];
  const clusters = ofKind<ICluster>(objects, 'postgresql.cnpg.io/v1', 'Cluster');
  return SERVICES_WITH_DATABASE.flatMap(({ context }) => {
    const name = `${context}-db`;
    const cluster = named(clusters, name);
    if (!cluster) return [missing('Cluster', name, 'the database Cluster is not rendered')];
    return synchronousReplicationProblems(cluster).map((message) => problemOf(cluster, message));
  });
};

function synchronousReplicationProblems({ spec }: ICluster): string[] {
  // The schemas report a Cluster without a spec; this rule only must not break on one.
  const synchronous = spec?.postgresql?.synchronous;
  if (!synchronous || synchronous.number < 1) {
    return ['replicates asynchronously (no spec.postgresql.synchronous): a failover can lose transactions it already committed'];
  }
  const needed = synchronous.number + 1 + SPARE_STANDBYS;
  const instances = spec?.instances ?? 1;
  return [
    ...(synchronous.dataDurability === 'preferred'
      ? ['has dataDurability preferred: with its synchronous standbys down it commits alone, and a failover can lose those commits']
      : []),
    ...(instances < needed
      ? [`runs ${instances} instances for ${synchronous.number} synchronous standby${synchronous.number === 1 ? '' : 's'}: one standby down stops every write`]
      : []),
  ];
}
