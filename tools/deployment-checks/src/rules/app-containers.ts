import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import { deployablesOf, PROBE_PATHS, ProbeKind } from '../deployment-contract';
import { problemOf } from '../manifest';
import { ContainerOf, containersOf, describeContainer } from '../workloads';
import { deploymentOf, missing, Rule } from './rule';

/** Every app Deployment exists, and each of its containers is probed, sized, locked down and has an image. */
export const appContainerRules: Rule = ({ objects, overlay }) =>
  deployablesOf(overlay).flatMap((deployable) => {
    const deployment = deploymentOf(objects, deployable.name);
    if (!deployment) return [missing('Deployment', deployable.name, `the ${deployable.name} app is not deployed`)];
    const pod = deployment.spec?.template?.spec;
    const containers = containersOf(pod);
    const messages = [
      ...(pod?.containers?.length ? [] : ['has no containers']),
      ...containers.flatMap((entry) => [
        ...(entry.init ? [] : probeProblems(entry.container)),
        ...resourceProblems(entry),
        ...securityProblems(entry, pod?.securityContext),
        ...(entry.container.image ? [] : [`${describeContainer(entry)} has no image`]),
      ]),
    ];
    return messages.map((message) => problemOf(deployment, message));
  });

function probeProblems(container: IContainer): string[] {
  const declaredPorts = new Set((container.ports ?? []).flatMap((port) => (port.name ? [port.name] : [])));
  return (Object.keys(PROBE_PATHS) as ProbeKind[]).flatMap((kind) => {
    const where = `container ${container.name} ${kind}`;
    const probe = container[kind];
    if (!probe) return [`container ${container.name} has no ${kind}`];
    if (!probe.httpGet) return [`${where} is not an httpGet probe`];
    const { path, port } = probe.httpGet;
    return [
      ...(path === PROBE_PATHS[kind] ? [] : [`${where} GETs ${path ?? '/'} instead of ${PROBE_PATHS[kind]}`]),
      ...(typeof port !== 'string' ? [`${where} uses port ${port} instead of a named port`] : []),
      ...(typeof port === 'string' && !declaredPorts.has(port) ? [`${where} uses port ${port}, which the container does not declare`] : []),
    ];
  });
}

function resourceProblems(entry: ContainerOf): string[] {
  const { requests, limits } = entry.container.resources ?? {};
  const required: Array<[string, unknown]> = [
    ['requests.cpu', requests?.cpu],
    ['requests.memory', requests?.memory],
    ['limits.memory', limits?.memory],
  ];
  return required.filter(([, value]) => value === undefined || value === '').map(([field]) => `${describeContainer(entry)} has no resources.${field}`);
}

function securityProblems(entry: ContainerOf, pod: IPodSecurityContext | undefined): string[] {
  const own = entry.container.securityContext;
  const who = describeContainer(entry);
  const runAsUser = own?.runAsUser ?? pod?.runAsUser;
  const seccomp = own?.seccompProfile?.type ?? pod?.seccompProfile?.type;
  return [
    ...((own?.runAsNonRoot ?? pod?.runAsNonRoot) === true ? [] : [`${who} does not run with runAsNonRoot: true`]),
    ...(runAsUser === 0 ? [`${who} runs as user 0`] : []),
    ...(own?.readOnlyRootFilesystem === true ? [] : [`${who} does not set readOnlyRootFilesystem: true`]),
    ...(own?.allowPrivilegeEscalation === false ? [] : [`${who} does not set allowPrivilegeEscalation: false`]),
    ...(own?.capabilities?.drop?.includes('ALL') ? [] : [`${who} does not drop ALL capabilities`]),
    ...(seccomp === 'RuntimeDefault' ? [] : [`${who} does not use the RuntimeDefault seccomp profile`]),
  ];
}

export function httpPortOf(container: IContainer): number | undefined {
  return container.ports?.find((port) => port.name === 'http')?.containerPort;
}

/** The container that serves the app (the one declaring the http port). */
export function appContainerOf(containers: readonly IContainer[] | undefined): IContainer | undefined {
  return containers?.find((container) => httpPortOf(container) !== undefined);
}
