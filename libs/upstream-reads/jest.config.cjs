module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'upstream-reads',
  rootDir: __dirname,
};
