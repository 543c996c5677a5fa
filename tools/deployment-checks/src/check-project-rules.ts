import { Overlay } from './deployment-contract';
import { K8sObject, Problem } from './manifest';
import { appCompanionRules } from './rules/app-companions';
import { appContainerRules } from './rules/app-containers';
import { appPortRules } from './rules/app-ports';
import { callerTokenRules } from './rules/caller-tokens';
import { databaseRules } from './rules/databases';
import { defaultDenyRules } from './rules/default-deny';
import { prodImageRules } from './rules/images';
import { ingressRules } from './rules/ingress';
import { labelRules } from './rules/labels';
import { migrationRules } from './rules/migrations';
import { natsRules } from './rules/nats';
import { Rule } from './rules/rule';
import { noCommittedSecretRules, referenceRules } from './rules/secrets';

const RULES: readonly Rule[] = [
  appContainerRules,
  appPortRules,
  migrationRules,
  appCompanionRules,
  defaultDenyRules,
  prodImageRules,
  noCommittedSecretRules,
  referenceRules,
  callerTokenRules,
  ingressRules,
  natsRules,
  databaseRules,
  labelRules,
];

/** The deployment contract's rules that an OpenAPI schema cannot express, for one rendered overlay. */
export function checkProjectRules(objects: readonly K8sObject[], { overlay }: { overlay: Overlay }): Problem[] {
  return RULES.flatMap((rule) => rule({ objects, overlay }));
}
