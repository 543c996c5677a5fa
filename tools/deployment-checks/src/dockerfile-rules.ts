import { readFileSync } from 'node:fs';
import { Instruction, parseDockerfile, ParsedDockerfile, Stage } from './dockerfile-parser';
import { CONTAINER_HOST } from './deployment-contract';
import { unpinnedImageReason } from './image-reference';
import { Problem } from './manifest';

const ROOT_USERS = new Set(['root', '0']);
const NPM_INSTALL = /\bnpm\s+(ci|install|i)\b/;

/** The image every app is built into: multi-stage, one `APP` argument, a production runtime that is not root and listens on 0.0.0.0. */
export function checkDockerfile(file: string): Problem[] {
  const dockerfile = parseDockerfile(readFileSync(file, 'utf8'));
  const final = dockerfile.stages.at(-1);
  const problem = (message: string, stage?: Stage): Problem => ({ object: stage ? `${file} stage ${stage.name ?? stage.index}` : file, message });
  if (!final) return [problem('has no FROM')];
  const runtime = inheritedInstructions(dockerfile, final);
  const user = lastArgument(runtime, 'USER');
  const nodeEnv = environmentOf(runtime).get('NODE_ENV');
  // The apps listen on loopback unless told otherwise; in a container nothing else could reach them.
  const host = environmentOf(runtime).get('HOST');
  return [
    ...(dockerfile.stages.length >= 2 ? [] : [problem('is not a multi-stage build')]),
    ...(declaresArg(dockerfile, 'APP') ? [] : [problem('has no ARG APP')]),
    ...(user && !ROOT_USERS.has(user.split(':')[0]) ? [] : [problem(`the final stage runs as ${user ?? 'root (no USER)'}`, final)]),
    ...(nodeEnv === 'production' ? [] : [problem(`the final stage sets NODE_ENV=${nodeEnv ?? '<unset>'}, not production`, final)]),
    ...(host === CONTAINER_HOST ? [] : [problem(`the final stage sets HOST=${host ?? '<unset>'}, not ${CONTAINER_HOST}`, final)]),
    ...(hasHealthcheck(runtime) ? [] : [problem('the final stage has no HEALTHCHECK', final)]),
    ...installProblems(dockerfile, runtime).map((message) => problem(message, final)),
    ...dockerfile.stages.flatMap((stage) => {
      const reason = baseStageOf(dockerfile, stage) || stage.from === 'scratch' ? undefined : unpinnedImageReason(stage.from);
      return reason ? [problem(`base ${reason}`, stage)] : [];
    }),
  ];
}

/** The earlier stage a stage is built `FROM`, if it is not built from an image. */
function baseStageOf(dockerfile: ParsedDockerfile, stage: Stage): Stage | undefined {
  return dockerfile.stages.find((candidate) => candidate.index < stage.index && candidate.name?.toLowerCase() === stage.from.toLowerCase());
}

/** A stage's instructions after those of the earlier stages it is built `FROM`. */
function inheritedInstructions(dockerfile: ParsedDockerfile, stage: Stage): Instruction[] {
  const base = baseStageOf(dockerfile, stage);
  return [...(base ? inheritedInstructions(dockerfile, base) : []), ...stage.instructions];
}

function declaresArg(dockerfile: ParsedDockerfile, name: string): boolean {
  return [...dockerfile.globalArgs, ...dockerfile.stages.flatMap((stage) => stage.instructions)].some(
    ({ keyword, arguments: argument }) => keyword === 'ARG' && argument.split('=')[0].trim() === name,
  );
}

function lastArgument(instructions: readonly Instruction[], keyword: string): string | undefined {
  return instructions.findLast((instruction) => instruction.keyword === keyword)?.arguments;
}

/** ENV in both forms: `ENV KEY=value KEY2="value 2"` and the legacy `ENV KEY value`. */
function environmentOf(instructions: readonly Instruction[]): Map<string, string> {
  const environment = new Map<string, string>();
  for (const { arguments: argument } of instructions.filter(({ keyword }) => keyword === 'ENV')) {
    if (!/^\S+=/.test(argument)) {
      const [name, ...value] = argument.split(/\s+/);
      environment.set(name, value.join(' '));
      continue;
    }
    for (const [, name, quoted, plain] of argument.matchAll(/(\w+)=(?:"([^"]*)"|(\S*))/g)) environment.set(name, quoted ?? plain);
  }
  return environment;
}

/**
 * Runtime dependencies are installed without devDependencies: in the final stage, or in a stage whose
 * node_modules it copies; a full install in the final stage itself would ship the dev tooling.
 */
function installProblems(dockerfile: ParsedDockerfile, runtime: readonly Instruction[]): string[] {
  const installs = (instructions: readonly Instruction[]) => instructions.filter(({ keyword, arguments: argument }) => keyword === 'RUN' && NPM_INSTALL.test(argument));
  const omitsDev = (instruction: Instruction) => /--omit[= ]dev\b/.test(instruction.arguments);
  const copiedFrom = runtime
    .filter(({ keyword, arguments: argument }) => keyword === 'COPY' && /--from=/.test(argument) && argument.includes('node_modules'))
    .map(({ arguments: argument }) => /--from=(\S+)/.exec(argument)?.[1] ?? '')
    .flatMap((source) => dockerfile.stages.filter((stage) => stage.name?.toLowerCase() === source.toLowerCase() || String(stage.index) === source));
  const sources = [runtime, ...copiedFrom.map((stage) => inheritedInstructions(dockerfile, stage))];
  return [
    ...(sources.some((instructions) => installs(instructions).some(omitsDev)) ? [] : ['the runtime dependencies are not installed with --omit=dev']),
    ...installs(runtime)
      .filter((install) => !omitsDev(install))
      .map((install) => `line ${install.line} installs devDependencies into the runtime image: ${install.arguments}`),
  ];
}

/** Whether images built from the Dockerfile's final stage bring a HEALTHCHECK. */
export function dockerfileHasHealthcheck(file: string): boolean {
  const dockerfile = parseDockerfile(readFileSync(file, 'utf8'));
  const final = dockerfile.stages.at(-1);
  return final !== undefined && hasHealthcheck(inheritedInstructions(dockerfile, final));
}

function hasHealthcheck(runtime: readonly Instruction[]): boolean {
  const healthcheck = lastArgument(runtime, 'HEALTHCHECK');
  return healthcheck !== undefined && !/^NONE\b/i.test(healthcheck);
}
