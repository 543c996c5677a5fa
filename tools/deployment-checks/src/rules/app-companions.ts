import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployable, deployablesOf, Overlay } from '../deployment-contract';
import { Labels, labelSelectorSelects, mapSelects } from '../label-selectors';
import { K8sObject, named, ofKind, problemOf } from '../manifest';
import { appContainerOf, httpPortOf } from './app-containers';
import { DeploymentObject, deploymentOf, Rule } from './rule';

/** What every app needs around its Deployment: Service, NetworkPolicy, ServiceAccount and (not the simulators) HPA and PDB. */
export const appCompanionRules: Rule = ({ objects, overlay }) => {
  const appPods = deployablesOf(overlay).flatMap(({ name }) => {
    const deployment = deploymentOf(objects, name);
    return deployment ? [podLabelsOf(deployment)] : [];
  });
  return deployablesOf(overlay).flatMap((deployable) => {
    const deployment = deploymentOf(objects, deployable.name);
    if (!deployment) return [];
    const messages = [
      ...serviceProblems(objects, deployable, deployment),
      ...networkPolicyProblems(objects, deployment, appPods),
      ...serviceAccountProblems(objects, deployment),
      ...(deployable.component === 'simulator' ? [] : [...autoscalerProblems(objects, deployment, overlay), ...disruptionBudgetProblems(objects, deployment, appPods)]),
    ];
    return messages.map((message) => problemOf(deployment, message));
  });
};

function podLabelsOf(deployment: DeploymentObject): Labels | undefined {
  return deployment.spec?.template?.metadata?.labels;
}

/** The other apps reach it as http://<name>:<port>, so the Service carries the app's name and port. */
function serviceProblems(objects: readonly K8sObject[], deployable: Deployable, deployment: DeploymentObject): string[] {
  const service = named(ofKind<IService>(objects, 'v1', 'Service'), deployable.name);
  if (!service) return [`has no Service ${deployable.name}`];
  if (!mapSelects(service.spec?.selector, podLabelsOf(deployment)))
    return [`Service ${deployable.name} selector ${JSON.stringify(service.spec?.selector ?? {})} does not select its pods`];
  const container = appContainerOf(deployment.spec?.template?.spec?.containers);
  const containerPort = container && httpPortOf(container);
  const http = service.spec?.ports?.find((port) => port.name === 'http');
  if (!http) return [`Service ${deployable.name} has no port named http`];
  const targetsHttp = http.targetPort === 'http' || (http.targetPort ?? http.port) === containerPort;
  return [
    ...(http.port === deployable.port ? [] : [`Service ${deployable.name} port http is ${http.port}, the contract says ${deployable.port}`]),
    ...(targetsHttp ? [] : [`Service ${deployable.name} port http targets ${http.targetPort}, not the container port http`]),
  ];
}

/** Platform-wide policies (default deny, DNS, scraping) select every app; the app needs one of its own (or its group's). */
function networkPolicyProblems(objects: readonly K8sObject[], deployment: DeploymentObject, appPods: ReadonlyArray<Labels | undefined>): string[] {
  const own = ofKind<INetworkPolicy>(objects, 'networking.k8s.io/v1', 'NetworkPolicy').filter(({ spec }) => {
    const selects = (labels: Labels | undefined) => labelSelectorSelects(spec?.podSelector, labels);
    return selects(podLabelsOf(deployment)) && !appPods.every(selects);
  });
  return own.length > 0 ? [] : ['no NetworkPolicy of its own selects its pods (only policies for every app do)'];
}

function serviceAccountProblems(objects: readonly K8sObject[], deployment: DeploymentObject): string[] {
  const name = deployment.spec?.template?.spec?.serviceAccountName;
  if (!name || name === 'default') return ['does not run under its own ServiceAccount'];
  const account = named(ofKind<IServiceAccount>(objects, 'v1', 'ServiceAccount'), name);
  if (!account) return [`uses ServiceAccount ${name}, which is not rendered`];
  return account.automountServiceAccountToken === false ? [] : [`ServiceAccount ${name} does not set automountServiceAccountToken: false`];
}

/** Prod runs at least two replicas of every app, so one pod can be lost or replaced without an outage. */
function autoscalerProblems(objects: readonly K8sObject[], deployment: DeploymentObject, overlay: Overlay): string[] {
  const name = deployment.metadata?.name;
  const autoscaler = ofKind<IHorizontalPodAutoscaler>(objects, 'autoscaling/v2', 'HorizontalPodAutoscaler').find(
    ({ spec }) => spec?.scaleTargetRef.kind === 'Deployment' && spec.scaleTargetRef.name === name && spec.scaleTargetRef.apiVersion === 'apps/v1',
  );
  if (!autoscaler) return ['no HorizontalPodAutoscaler targets it'];
  const minReplicas = autoscaler.spec?.minReplicas ?? 1;
  return overlay === 'prod' && minReplicas < 2 ? [`HorizontalPodAutoscaler ${autoscaler.metadata?.name} allows ${minReplicas} replica in prod`] : [];
}

/** A budget counts the pods it selects together, so it must select this app's pods and no other app's. */
function disruptionBudgetProblems(objects: readonly K8sObject[], deployment: DeploymentObject, appPods: ReadonlyArray<Labels | undefined>): string[] {
  const own = ofKind<IPodDisruptionBudget>(objects, 'policy/v1', 'PodDisruptionBudget').filter(({ spec }) => {
    const selects = (labels: Labels | undefined) => labelSelectorSelects(spec?.selector, labels);
    return selects(podLabelsOf(deployment)) && appPods.filter(selects).length === 1;
  });
  return own.length > 0 ? [] : ['no PodDisruptionBudget selects its pods and only them'];
}
