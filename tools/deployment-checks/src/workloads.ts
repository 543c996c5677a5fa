import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { K8sObject } from './manifest';

export interface PodTemplateOwner {
  object: K8sObject;
  template: IPodTemplateSpec;
}

interface WithTemplate {
  spec?: { template?: IPodTemplateSpec; jobTemplate?: { spec?: { template?: IPodTemplateSpec } } };
}

const WORKLOADS = new Set(['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob']);

/** Every workload with the pod template it runs (a CronJob's through its job template). */
export function podTemplates(objects: readonly K8sObject[]): PodTemplateOwner[] {
  return objects.flatMap((object) => {
    if (!WORKLOADS.has(`${object.apiVersion}/${object.kind}`)) return [];
    const spec = (object as WithTemplate).spec;
    const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
    return template ? [{ object, template }] : [];
  });
}

export interface ContainerOf {
  container: IContainer;
  init: boolean;
}

export function containersOf(pod: IPodSpec | undefined): ContainerOf[] {
  return [...(pod?.initContainers ?? []).map((container) => ({ container, init: true })), ...(pod?.containers ?? []).map((container) => ({ container, init: false }))];
}

export function describeContainer({ container, init }: ContainerOf): string {
  return `${init ? 'initContainer' : 'container'} ${container.name}`;
}
