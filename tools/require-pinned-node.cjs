// The project runs on the Node.js line pinned in .nvmrc. On linux-x64 and linux-arm64 the
// node-linux-* optional dependency ships that Node inside node_modules, and npm scripts find it
// first on PATH; anywhere else the Node that runs must be installed by hand, and this says which
// before anything fails for a less obvious reason.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const pinned = readFileSync(join(__dirname, '..', '.nvmrc'), 'utf8').trim();
const major = (version) => version.replace(/^v/, '').split('.')[0];

if (major(process.versions.node) !== major(pinned)) {
  console.error(
    `This project runs on Node.js ${major(pinned)} (${pinned} in .nvmrc), not ${process.versions.node}.\n` +
      `On Linux x64 or arm64, \`npm ci\` installs it into node_modules and npm scripts use it. ` +
      `Elsewhere install Node.js ${major(pinned)} (for example \`nvm install\` in this folder) and run the command again.`,
  );
  process.exit(1);
}
