import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { CONTRACT_SECRETS } from '../deployment-contract';
import { named, ofKind, Problem, problemOf } from '../manifest';
import { configReferences, ObjectReference } from '../object-references';
import { Rule } from './rule';

/** Secret values are created out of band, never committed: no rendered Secret carries data. */
export const noCommittedSecretRules: Rule = ({ objects }) =>
  ofKind<ISecret>(objects, 'v1', 'Secret')
    .filter((secret) => Object.keys(secret.data ?? {}).length > 0 || Object.keys(secret.stringData ?? {}).length > 0)
    .map((secret) => problemOf(secret, 'is a Secret with data or stringData: secret values must not be committed'));

/** Every ConfigMap a workload reads is rendered, and every Secret is one the contract has created out of band. */
export const referenceRules: Rule = ({ objects }) => {
  const configMaps = ofKind<IConfigMap>(objects, 'v1', 'ConfigMap');
  return configReferences(objects).flatMap((reference): Problem[] => {
    const message = reference.kind === 'Secret' ? secretProblem(reference) : configMapProblem(reference, named(configMaps, reference.name));
    return message ? [problemOf(reference.from, `${reference.where}: ${message}`)] : [];
  });
};

function secretProblem({ name, key }: ObjectReference): string | undefined {
  const keys = CONTRACT_SECRETS.get(name);
  if (!keys) return `refers to Secret ${name}, which is not one of the contract's secrets`;
  return key === undefined || keys.includes(key) ? undefined : `refers to key ${key} of Secret ${name}, which has only ${keys.join(', ')}`;
}

function configMapProblem({ name, key }: ObjectReference, configMap: IConfigMap | undefined): string | undefined {
  if (!configMap) return `refers to ConfigMap ${name}, which is not rendered`;
  const present = key === undefined || key in (configMap.data ?? {}) || key in (configMap.binaryData ?? {});
  return present ? undefined : `refers to key ${key} of ConfigMap ${name}, which it does not have`;
}
