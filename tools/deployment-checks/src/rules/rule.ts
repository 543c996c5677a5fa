import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { NAMESPACE, Overlay } from '../deployment-contract';
import { K8sObject, named, ofKind, Problem } from '../manifest';

export interface RuleContext {
  objects: readonly K8sObject[];
  overlay: Overlay;
}

export type Rule = (context: RuleContext) => Problem[];

export type DeploymentObject = IDeployment & K8sObject;

export function deploymentOf(objects: readonly K8sObject[], name: string): DeploymentObject | undefined {
  return named(ofKind<IDeployment>(objects, 'apps/v1', 'Deployment'), name);
}

/** How a problem names an object that should exist but was not rendered. */
export function missing(kind: string, name: string, message: string): Problem {
  return { object: `${kind} ${NAMESPACE}/${name}`, message };
}
