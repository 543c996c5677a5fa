import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { NAMESPACE } from '../deployment-contract';
import { isEmptySelector } from '../label-selectors';
import { ofKind } from '../manifest';
import { missing, Rule } from './rule';

/** Traffic the other policies do not allow is refused: one policy selects every pod and allows nothing. */
export const defaultDenyRules: Rule = ({ objects }) => {
  const denyAll = ofKind<INetworkPolicy>(objects, 'networking.k8s.io/v1', 'NetworkPolicy').some(
    ({ spec }) =>
      isEmptySelector(spec?.podSelector) &&
      (['Ingress', 'Egress'] as const).every((type) => spec?.policyTypes?.includes(type)) &&
      (spec?.ingress ?? []).length === 0 &&
      (spec?.egress ?? []).length === 0,
  );
  return denyAll ? [] : [missing('NetworkPolicy', '*', `no default-deny NetworkPolicy (empty podSelector, policyTypes Ingress and Egress, no rules) in namespace ${NAMESPACE}`)];
};
