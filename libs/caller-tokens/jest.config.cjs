module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'caller-tokens',
  rootDir: __dirname,
};
