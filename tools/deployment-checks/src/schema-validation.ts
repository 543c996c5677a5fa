import { K8sObject, Problem, problemOf } from './manifest';
import { modelFor } from './schema-models';

/**
 * Every object checked against the OpenAPI schema of its kind, offline. The schemas accept unknown
 * fields, so a misspelt field passes here: the project rules catch the ones that matter.
 */
export async function validateAgainstSchemas(objects: readonly K8sObject[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const object of objects) {
    const model = modelFor(object.apiVersion, object.kind);
    if (!model) {
      problems.push(problemOf(object, `no schema for apiVersion ${object.apiVersion} kind ${object.kind}`));
      continue;
    }
    const Model = await model;
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(problemOf(object, `schema: ${(error as Error).message}`));
    }
  }
  return problems;
}
