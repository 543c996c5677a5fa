import { platformStreamSettings } from '@orders/messaging';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { NATS_REPLICAS } from './deployment-contract';
import { Problem } from './manifest';

/** The settings the services give their streams when they create them, with a cluster's replica count. */
function clusterStreamSettings(): Array<Record<string, unknown> & { name: string }> {
  return platformStreamSettings().map((settings) => ({ ...settings, num_replicas: NATS_REPLICAS }));
}

/**
 * In Kubernetes a Job creates the streams from `<dir>/<NAME>.json` instead of the services: each file
 * must say exactly what the services would have created.
 */
export function checkStreamFiles(dir: string, expected = clusterStreamSettings()): Problem[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  const problems: Problem[] = [];
  for (const settings of expected) {
    const file = `${settings.name}.json`;
    if (!files.includes(file)) {
      problems.push({ object: join(dir, file), message: `stream ${settings.name} has no definition file` });
      continue;
    }
    const actual: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    if (!isDeepStrictEqual(actual, settings)) {
      problems.push({ object: join(dir, file), message: `differs from the services' settings ${JSON.stringify(settings)}: ${JSON.stringify(actual)}` });
    }
  }
  const known = new Set(expected.map(({ name }) => `${name}.json`));
  for (const file of files.filter((candidate) => !known.has(candidate))) {
    problems.push({ object: join(dir, file), message: `defines stream ${basename(file, '.json')}, which no service uses` });
  }
  return problems;
}
