import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

/** One rendered Kubernetes object, before anything is known about its kind. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: IObjectMeta;
  [field: string]: unknown;
}

/** What is wrong, and with which object (or file, or compose service). */
export interface Problem {
  object: string;
  message: string;
}

/** `Deployment orders/gateway`: how problems name an object. */
export function identify(object: Pick<K8sObject, 'kind' | 'metadata'>): string {
  const name = object.metadata?.name ?? '<unnamed>';
  const namespace = object.metadata?.namespace;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

export function problemOf(object: Pick<K8sObject, 'kind' | 'metadata'>, message: string): Problem {
  return { object: identify(object), message };
}

/** The objects of one kind, typed as the model of that kind (the schemas check the shape separately). */
export function ofKind<T>(objects: readonly K8sObject[], apiVersion: string, kind: string): Array<T & K8sObject> {
  return objects.filter((object) => object.apiVersion === apiVersion && object.kind === kind) as Array<T & K8sObject>;
}

export function named<T extends K8sObject>(objects: readonly T[], name: string): T | undefined {
  return objects.find((object) => object.metadata?.name === name);
}
