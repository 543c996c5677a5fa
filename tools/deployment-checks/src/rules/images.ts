import { SIMULATORS } from '../deployment-contract';
import { unpinnedImageReason } from '../image-reference';
import { ofKind, problemOf } from '../manifest';
import { containersOf, describeContainer, podTemplates } from '../workloads';
import { Rule } from './rule';

const SIMULATOR_NAMES = new Set(SIMULATORS.map(({ name }) => name));

interface CnpgCluster {
  spec?: { imageName?: string };
}

/** Prod runs exactly the versions it names, and never the provider simulators. */
export const prodImageRules: Rule = ({ objects, overlay }) => {
  if (overlay !== 'prod') return [];
  const unpinned = podTemplates(objects).flatMap(({ object, template }) =>
    containersOf(template.spec).flatMap((entry) => {
      const reason = unpinnedImageReason(entry.container.image ?? '');
      return reason ? [problemOf(object, `${describeContainer(entry)} ${reason}`)] : [];
    }),
  );
  // The operator's default PostgreSQL image changes with the operator version unless the Cluster names one.
  const databases = ofKind<CnpgCluster>(objects, 'postgresql.cnpg.io/v1', 'Cluster').flatMap((cluster) => {
    const reason = cluster.spec?.imageName === undefined ? 'names no imageName' : unpinnedImageReason(cluster.spec.imageName);
    return reason ? [problemOf(cluster, reason)] : [];
  });
  const simulators = objects
    .filter((object) => SIMULATOR_NAMES.has(object.metadata?.name ?? '') || SIMULATOR_NAMES.has(object.metadata?.labels?.['app.kubernetes.io/name'] ?? ''))
    .map((object) => problemOf(object, 'is a provider simulator, which prod must not deploy'));
  return [...unpinned, ...databases, ...simulators];
};
