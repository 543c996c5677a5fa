const preset = require('../../jest.preset.cjs');

// The Kubernetes schema models and the validators they import are ES modules only; SWC turns them
// into CommonJS like the preset's ES module packages, and esm-resolver.cjs finds them.
const esmPackages = ['kubernetes-models', '@kubernetes-models', 'is-cidr', 'cidr-regex'];

module.exports = {
  ...preset,
  displayName: 'deployment-checks',
  rootDir: __dirname,
  resolver: '<rootDir>/esm-resolver.cjs',
  transformIgnorePatterns: [preset.transformIgnorePatterns[0].replace('(?!(', `(?!(${esmPackages.join('|')}|`)],
};
