module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'shared-kernel',
  rootDir: __dirname,
};
