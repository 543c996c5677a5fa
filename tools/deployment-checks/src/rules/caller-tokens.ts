import type { IContainer } from 'kubernetes-models/v1/Container';
import { BEHIND_GATEWAY, CALLER_TOKEN_KEYS, CALLER_TOKEN_SIGNER } from '../deployment-contract';
import { problemOf } from '../manifest';
import { configReferences } from '../object-references';
import { containersOf, describeContainer, podTemplates } from '../workloads';
import { deploymentOf, Rule } from './rule';

type KeySource = (typeof CALLER_TOKEN_KEYS)[keyof typeof CALLER_TOKEN_KEYS];

/**
 * The gateway signs caller tokens with the private key, and no other workload can read it; every
 * app container behind the gateway gets the public key it verifies the tokens with (migrations
 * read only DATABASE_URL and get neither).
 */
export const callerTokenRules: Rule = ({ objects }) => {
  const { private: signing, public: verification } = CALLER_TOKEN_KEYS;
  const signer = deploymentOf(objects, CALLER_TOKEN_SIGNER);
  const signerWhere = `container ${CALLER_TOKEN_SIGNER} env ${signing.variable}`;
  const signerContainer = signer?.spec?.template?.spec?.containers?.find(({ name }) => name === CALLER_TOKEN_SIGNER);
  const signs = signer && !(signerContainer && getsKey(signerContainer, signing)) ? [problemOf(signer, `container ${CALLER_TOKEN_SIGNER} ${lacks(signing)}`)] : [];
  const verifies = BEHIND_GATEWAY.flatMap(({ name }) => {
    const deployment = deploymentOf(objects, name);
    if (!deployment) return [];
    return containersOf(deployment.spec?.template?.spec)
      .filter(({ container, init }) => !init && !getsKey(container, verification))
      .map((entry) => problemOf(deployment, `${describeContainer(entry)} ${lacks(verification)}`));
  });
  const readers = configReferences(objects)
    .filter(({ kind, name, from, where }) => kind === 'Secret' && name === signing.secret && !(from === signer && where === signerWhere))
    .map(({ from, where }) => problemOf(from, `${where}: reads Secret ${signing.secret}, the gateway's signing key, which no other workload may have`));
  const holders = podTemplates(objects).flatMap(({ object, template }) =>
    containersOf(template.spec)
      .filter(({ container, init }) => object !== signer || init || container.name !== CALLER_TOKEN_SIGNER)
      // Read from the Secret, it is one of the readers above.
      .filter(({ container }) => container.env?.some(({ name, valueFrom }) => name === signing.variable && valueFrom?.secretKeyRef?.name !== signing.secret))
      .map((entry) => problemOf(object, `${describeContainer(entry)} sets ${signing.variable}, which only the gateway may have`)),
  );
  return [...signs, ...verifies, ...readers, ...holders];
};

function getsKey(container: IContainer, { variable, secret, key }: KeySource): boolean {
  const ref = container.env?.findLast(({ name }) => name === variable)?.valueFrom?.secretKeyRef;
  return ref?.name === secret && ref.key === key;
}

const lacks = ({ variable, secret, key }: KeySource) => `does not get ${variable} from key ${key} of Secret ${secret}`;
