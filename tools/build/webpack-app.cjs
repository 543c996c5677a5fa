// Bundles one deployable (an app, or the provider simulators) for its container image:
// the workspace libraries (@orders/*) and TypeORM are compiled into the bundle, every other
// npm package stays external and is listed in the generated package.json and lockfile, so
// the image installs production dependencies only.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const nodeExternals = require('webpack-node-externals');
const TerserPlugin = require('terser-webpack-plugin');
const { ContextReplacementPlugin, NormalModuleReplacementPlugin } = require('webpack');
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
    externals: [npmExternals()],
    // Types used as decorated parameters are kept as (undefined) values for decorator metadata;
    // webpack reports each as a missing export. Real missing exports fail `npm run typecheck`.
    // TypeORM reads its own configuration files with require(path), which the bundle never does.
    ignoreWarnings: [/export '.*' \(imported as '.*'\) was not found/, { module: /node_modules[\\/]typeorm[\\/]/, message: /Critical dependency/ }],
    plugins: [
      ...typeormPostgresOnly(),
      new NoSourceMapsForNpmPackages(),
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
      // Node keeps every module's source text in memory; the bundle's comments and indentation
      // (most of it in the bundled packages) are dropped. Nothing is renamed or rewritten: Nest's
      // dependency injection and our error names read class and function names.
      new TerserPlugin({ extractComments: false, terserOptions: { compress: false, mangle: false, format: { comments: false } } }),
    ],
  };
}

/**
 * npm packages compiled into the bundle rather than required from node_modules. TypeORM's
 * index loads every database driver (about 300 modules, 3 MB of source held in memory);
 * bundled, the drivers other than Postgres are left out. @nestjs/typeorm comes along so that
 * it uses the bundled TypeORM, not a second copy from node_modules.
 */
const BUNDLED_PACKAGES = [/^typeorm(\/|$)/, /^@nestjs\/typeorm(\/|$)/];

/**
 * Packages the bundled ones share with the npm packages that stay external: one instance per
 * process, so they are required from node_modules even where a bundled package imports them.
 */
const SHARED_PACKAGES = [/^@nestjs\/(common|core)(\/|$)/, /^rxjs(\/|$)/, /^reflect-metadata$/, /^pg$/];

/**
 * Every npm package is required from node_modules, except the bundled ones and, as they are
 * only reachable through those, their own dependencies (which the generated package.json does
 * not list).
 */
function npmExternals() {
  const external = nodeExternals({ modulesDir: join(WORKSPACE_ROOT, 'node_modules'), allowlist: [/^@orders\//, ...BUNDLED_PACKAGES] });
  return (data, callback) => {
    const fromBundledPackage = /[\\/]node_modules[\\/]/.test(data.context ?? '');
    if (fromBundledPackage && !SHARED_PACKAGES.some((shared) => shared.test(data.request))) return callback();
    return external(data, callback);
  };
}

/** Every TypeORM driver other than Postgres (and the types Postgres uses) is replaced by a stub. */
const OTHER_TYPEORM_DRIVER = /typeorm[\\/]driver[\\/](?!postgres[\\/]|types[\\/])[^\\/]+[\\/][^\\/]+Driver\.js$/;
const DRIVER_STUB = `data:text/javascript,${encodeURIComponent(
  "module.exports = new Proxy({}, { get: (_, name) => typeof name === 'string' && name.endsWith('Driver') ? class { constructor() { throw new Error(name + ' is not in this bundle: only the Postgres driver is'); } } : undefined });",
)}`;

function typeormPostgresOnly() {
  return [
    new NormalModuleReplacementPlugin(OTHER_TYPEORM_DRIVER, ({ createData }) => {
      Object.assign(createData, { request: DRIVER_STUB, userRequest: DRIVER_STUB, resource: DRIVER_STUB, loaders: [] });
    }),
    // TypeORM loads the database client with require(name), which webpack cannot follow: the one
    // client used is named here, and stays external like every other npm package.
    new ContextReplacementPlugin(/typeorm[\\/]platform$/, '.', { pg: 'pg' }),
  ];
}

/**
 * Bundled npm packages stay out of the source map: TypeORM's own maps carry its TypeScript
 * sources (2 MB), which node keeps in memory with --enable-source-maps. A stack frame in a
 * package points at the bundle's line instead.
 */
class NoSourceMapsForNpmPackages {
  apply(compiler) {
    compiler.hooks.compilation.tap(NoSourceMapsForNpmPackages.name, (compilation) => {
      // After the devtool plugin has asked every module for a source map.
      compilation.hooks.buildModule.tap({ name: NoSourceMapsForNpmPackages.name, stage: 1 }, (module) => {
        if (!/[\\/]node_modules[\\/]/.test(module.resource ?? '')) return;
        module.useSourceMap = false;
        module.useSimpleSourceMap = false;
      });
    });
  }
}

module.exports = { appWebpackConfig };
