import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ConfigMapObject, environmentValue } from '../container-env';
import { CONTAINER_HOST, deployablesOf } from '../deployment-contract';
import { ofKind, problemOf } from '../manifest';
import { appContainerOf, httpPortOf } from './app-containers';
import { deploymentOf, Rule } from './rule';

/**
 * The app listens where its Deployment says: PORT (from its ConfigMap) is the container port named http, the
 * contract's port, and HOST is left to the image (0.0.0.0) or set to it: on loopback no probe or pod reaches it.
 */
export const appPortRules: Rule = ({ objects, overlay }) => {
  const configMaps: ConfigMapObject[] = ofKind<IConfigMap>(objects, 'v1', 'ConfigMap');
  return deployablesOf(overlay).flatMap((deployable) => {
    const deployment = deploymentOf(objects, deployable.name);
    if (!deployment) return [];
    const container = appContainerOf(deployment.spec?.template?.spec?.containers);
    if (!container) return [problemOf(deployment, 'no container declares a port named http')];
    const httpPort = httpPortOf(container);
    const port = environmentValue(container, configMaps, 'PORT');
    const host = environmentValue(container, configMaps, 'HOST');
    const messages = [
      ...(httpPort === deployable.port ? [] : [`container ${container.name} port http is ${httpPort}, the contract says ${deployable.port}`]),
      ...(port === String(httpPort) ? [] : [`container ${container.name} gets PORT=${port ?? '<unset>'} but its port http is ${httpPort}`]),
      ...(host === undefined || host === CONTAINER_HOST ? [] : [`container ${container.name} gets HOST=${host}, not ${CONTAINER_HOST}: probes and other pods cannot reach it`]),
    ];
    return messages.map((message) => problemOf(deployment, message));
  });
};
