/** One instruction of a Dockerfile, with continuation lines joined. */
export interface Instruction {
  keyword: string;
  arguments: string;
  line: number;
}

export interface Stage {
  index: number;
  /** The `AS` name, if any. */
  name?: string;
  /** The base image or earlier stage, with build arguments substituted from global ARG defaults. */
  from: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions = instructionsOf(text);
  const firstFrom = instructions.findIndex(({ keyword }) => keyword === 'FROM');
  const globalArgs = instructions.slice(0, firstFrom === -1 ? instructions.length : firstFrom).filter(({ keyword }) => keyword === 'ARG');
  const defaults = new Map(globalArgs.map(({ arguments: argument }) => argument.split('=')).map(([name, value = '']) => [name.trim(), value.trim().replace(/^"(.*)"$/, '$1')]));
  const stages: Stage[] = [];
  for (const instruction of firstFrom === -1 ? [] : instructions.slice(firstFrom)) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.arguments.split(/\s+/).filter((word) => !word.startsWith('--'));
      const from = words[0].replace(/\$\{?(\w+)\}?/g, (_match, name: string) => defaults.get(name) ?? '');
      stages.push({ index: stages.length, from, name: words[1]?.toUpperCase() === 'AS' ? words[2] : undefined, instructions: [] });
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

function instructionsOf(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    // Docker skips blank and comment lines, also inside a continued instruction.
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const continues = trimmed.endsWith('\\');
    const content = continues ? trimmed.slice(0, -1) : trimmed;
    pending = pending ? { ...pending, text: `${pending.text} ${content}` } : { text: content, line: index + 1 };
    if (continues) return;
    const [keyword, ...rest] = pending.text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), arguments: rest.join(' ').trim(), line: pending.line });
    pending = undefined;
  });
  return instructions;
}
