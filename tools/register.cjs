// Loads TypeScript sources at run time (node -r ./tools/register.cjs file.ts).
// SWC needs CommonJS output and decorator metadata for NestJS dependency injection,
// which differ from the type-checking settings in tsconfig.base.json.
require('./require-pinned-node.cjs');
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.runtime.json');
require('@swc-node/register');
