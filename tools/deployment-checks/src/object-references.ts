import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { K8sObject, ofKind } from './manifest';
import { containersOf, describeContainer, podTemplates } from './workloads';

/** A name (and key) one object expects a ConfigMap or Secret to have. */
export interface ObjectReference {
  from: K8sObject;
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key?: string;
  where: string;
}

interface CnpgCluster {
  spec?: { bootstrap?: { initdb?: { secret?: { name?: string } } } };
}

/** Every ConfigMap and Secret the rendered objects refer to: pod env, envFrom and volumes, Ingress TLS, CNPG initdb. */
export function configReferences(objects: readonly K8sObject[]): ObjectReference[] {
  const fromPods = podTemplates(objects).flatMap(({ object, template }) => podReferences(object, template.spec));
  const fromIngresses = ofKind<IIngress>(objects, 'networking.k8s.io/v1', 'Ingress').flatMap((ingress) =>
    (ingress.spec?.tls ?? []).flatMap(({ secretName }) => (secretName ? [{ from: ingress, kind: 'Secret' as const, name: secretName, where: 'tls' }] : [])),
  );
  const fromClusters = ofKind<CnpgCluster>(objects, 'postgresql.cnpg.io/v1', 'Cluster').flatMap((cluster) => {
    const name = cluster.spec?.bootstrap?.initdb?.secret?.name;
    return name ? [{ from: cluster, kind: 'Secret' as const, name, where: 'bootstrap.initdb.secret' }] : [];
  });
  return [...fromPods, ...fromIngresses, ...fromClusters];
}

function podReferences(from: K8sObject, pod: IPodSpec | undefined): ObjectReference[] {
  const fromContainers = containersOf(pod).flatMap((entry) => {
    const who = describeContainer(entry);
    const env = (entry.container.env ?? []).flatMap(({ name, valueFrom }): ObjectReference[] => {
      const where = `${who} env ${name}`;
      if (valueFrom?.secretKeyRef) return [{ from, kind: 'Secret', name: valueFrom.secretKeyRef.name ?? '', key: valueFrom.secretKeyRef.key, where }];
      if (valueFrom?.configMapKeyRef) return [{ from, kind: 'ConfigMap', name: valueFrom.configMapKeyRef.name ?? '', key: valueFrom.configMapKeyRef.key, where }];
      return [];
    });
    const envFrom = (entry.container.envFrom ?? []).flatMap(({ secretRef, configMapRef }): ObjectReference[] => [
      ...(secretRef ? [{ from, kind: 'Secret' as const, name: secretRef.name ?? '', where: `${who} envFrom` }] : []),
      ...(configMapRef ? [{ from, kind: 'ConfigMap' as const, name: configMapRef.name ?? '', where: `${who} envFrom` }] : []),
    ]);
    return [...env, ...envFrom];
  });
  const fromVolumes = (pod?.volumes ?? []).flatMap(({ name, secret, configMap, projected }): ObjectReference[] => {
    const where = `volume ${name}`;
    const sources = [
      { secret, configMap },
      ...(projected?.sources ?? []).map((source) => ({ secret: source.secret && { secretName: source.secret.name, items: source.secret.items }, configMap: source.configMap })),
    ];
    return sources.flatMap((source): ObjectReference[] => [
      ...(source.secret ? keysOrName(from, 'Secret', source.secret.secretName ?? '', source.secret.items, where) : []),
      ...(source.configMap ? keysOrName(from, 'ConfigMap', source.configMap.name ?? '', source.configMap.items, where) : []),
    ]);
  });
  return [...fromContainers, ...fromVolumes];
}

function keysOrName(from: K8sObject, kind: ObjectReference['kind'], name: string, items: Array<{ key: string }> | undefined, where: string): ObjectReference[] {
  return items?.length ? items.map(({ key }) => ({ from, kind, name, key, where })) : [{ from, kind, name, where }];
}
