// The Kubernetes schema packages export their files under the "import" condition only. Adding that
// condition for every module (testEnvironmentOptions.customExportConditions) would also switch Jest's
// own dependencies, such as dedent, to their .mjs builds, which Jest loads untransformed; so it is
// added for these packages alone.
const IMPORT_ONLY = /^(kubernetes-models|@kubernetes-models\/)/;

module.exports = (request, options) =>
  options.defaultResolver(request, IMPORT_ONLY.test(request) ? { ...options, conditions: [...(options.conditions ?? []), 'import'] } : options);
