import { MIGRATION_COMMAND, SERVICES_WITH_DATABASE } from '../deployment-contract';
import { problemOf } from '../manifest';
import { appContainerOf } from './app-containers';
import { deploymentOf, Rule } from './rule';

/** A service's schema is migrated by its own new image before the pod can become ready. */
export const migrationRules: Rule = ({ objects }) =>
  SERVICES_WITH_DATABASE.flatMap((service) => {
    const deployment = deploymentOf(objects, service.name);
    if (!deployment) return [];
    const pod = deployment.spec?.template?.spec;
    const migrate = pod?.initContainers?.find((container) => container.name === 'migrate');
    if (!migrate) return [problemOf(deployment, 'has no initContainer migrate')];
    const command = [...(migrate.command ?? []), ...(migrate.args ?? [])].join(' ');
    const appImage = appContainerOf(pod?.containers)?.image;
    return [
      ...(command === MIGRATION_COMMAND ? [] : [`initContainer migrate runs "${command}" instead of "${MIGRATION_COMMAND}"`]),
      ...(migrate.image === appImage ? [] : [`initContainer migrate runs image ${migrate.image}, not the app's image ${appImage}`]),
    ].map((message) => problemOf(deployment, message));
  });
