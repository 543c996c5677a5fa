module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'provider-simulators',
  rootDir: __dirname,
};
