// Bundles one deployable (an app, or the provider simulators) for its container image:
// the workspace libraries (@orders/*) are compiled into the bundle, every npm package
// stays external and is listed in the generated package.json and lockfile, so the
// image installs production dependencies only.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const nodeExternals = require('webpack-node-externals');
const { join, relative } = require('node:path');

const WORKSPACE_ROOT = join(__dirname, '..', '..');

/**
 * @param {string} projectDir the project's directory (`__dirname` of its webpack.config.cjs)
 * @param {{ main: string, entries?: Record<string, string> }} bundle
 *   `main` and each extra entry are source files relative to the project directory.
 */
function appWebpackConfig(projectDir, { main, entries = {} }) {
  return {
    output: { path: join(WORKSPACE_ROOT, 'dist', relative(WORKSPACE_ROOT, projectDir)) },
    externals: [nodeExternals({ modulesDir: join(WORKSPACE_ROOT, 'node_modules'), allowlist: [/^@orders\//] })],
    // Types used as decorated parameters are kept as (undefined) values for decorator metadata;
    // webpack reports each as a missing export. Real missing exports fail `npm run typecheck`.
    ignoreWarnings: [/export '.*' \(imported as '.*'\) was not found/],
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main,
        additionalEntryPoints: Object.entries(entries).map(([entryName, entryPath]) => ({ entryName, entryPath })),
        tsConfig: join(WORKSPACE_ROOT, 'tsconfig.build.json'),
        outputHashing: 'none',
        externalDependencies: 'none',
        mergeExternals: true,
        generatePackageJson: true,
        optimization: false,
        sourceMap: true,
        // `npm run typecheck` checks the whole workspace once; the bundle only transpiles.
        skipTypeChecking: true,
      }),
    ],
  };
}

module.exports = { appWebpackConfig };
