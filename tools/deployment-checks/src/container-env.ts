import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { K8sObject, named } from './manifest';

export type ConfigMapObject = IConfigMap & K8sObject;

/**
 * The value a container sees for an environment variable, as the kubelet composes it: `env` wins over
 * `envFrom`, and later entries over earlier ones. Undefined when it is unset or comes from a Secret.
 */
export function environmentValue(container: IContainer, configMaps: readonly ConfigMapObject[], variable: string): string | undefined {
  const explicit = container.env?.findLast((entry) => entry.name === variable);
  if (explicit) {
    if (explicit.value !== undefined) return explicit.value;
    const ref = explicit.valueFrom?.configMapKeyRef;
    return ref ? named(configMaps, ref.name ?? '')?.data?.[ref.key] : undefined;
  }
  for (const source of [...(container.envFrom ?? [])].reverse()) {
    if (!source.configMapRef) continue;
    const value = named(configMaps, source.configMapRef.name ?? '')?.data?.[variable.slice((source.prefix ?? '').length)];
    if (variable.startsWith(source.prefix ?? '') && value !== undefined) return value;
  }
  return undefined;
}
