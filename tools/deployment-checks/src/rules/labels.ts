import { deployablesOf, NAMESPACE, PART_OF } from '../deployment-contract';
import { Labels } from '../label-selectors';
import { K8sObject, problemOf } from '../manifest';
import { deploymentOf, Rule } from './rule';

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

/** Everything lives in the platform's namespace and says which part of the platform it is. */
export const labelRules: Rule = ({ objects, overlay }) => {
  const everywhere = objects.flatMap((object) => {
    const labels = object.metadata?.labels;
    return [
      ...(labels?.['app.kubernetes.io/part-of'] === PART_OF ? [] : [`is not labelled app.kubernetes.io/part-of=${PART_OF}`]),
      ...(labels?.['app.kubernetes.io/name'] ? [] : ['has no app.kubernetes.io/name label']),
      ...(CLUSTER_SCOPED.has(object.kind) || object.metadata?.namespace === NAMESPACE ? [] : [`is in namespace ${object.metadata?.namespace ?? '<none>'}, not ${NAMESPACE}`]),
    ].map((message) => problemOf(object, message));
  });
  const apps = deployablesOf(overlay).flatMap(({ name, component }) => {
    const deployment = deploymentOf(objects, name);
    if (!deployment) return [];
    const expected = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': component, 'app.kubernetes.io/part-of': PART_OF };
    return [
      ...mismatches(deployment, 'its labels', deployment.metadata?.labels, expected),
      ...mismatches(deployment, 'its pod labels', deployment.spec?.template?.metadata?.labels, expected),
    ];
  });
  return [...everywhere, ...apps];
};

function mismatches(object: K8sObject, what: string, labels: Labels | undefined, expected: Labels) {
  return Object.entries(expected)
    .filter(([key, value]) => labels?.[key] !== value)
    .map(([key, value]) => problemOf(object, `${what} have ${key}=${labels?.[key] ?? '<unset>'}, expected ${value}`));
}
