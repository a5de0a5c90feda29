/**
 * Packages from the dependency files an install reads, when the build context beside the Dockerfile
 * has them: requirements.txt for `pip install -r`, package-lock.json for `npm ci`, yarn.lock,
 * pnpm-lock.yaml and Gemfile.lock for `yarn`, `pnpm install` and `bundle install`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Component, dockerfileSbom } from '../../server/src/sbom';

const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function components(dockerfile: string, context: Record<string, string>): Component[] {
  const asked: string[] = [];
  const sbom = dockerfileSbom('svc/Dockerfile', dockerfile, {
    readContext: (p) => {
      asked.push(p);
      return Object.hasOwn(context, p) ? context[p] : undefined;
    },
  });
  return sbom.stages[sbom.stages.length - 1].components;
}

const REQUIREMENTS = `# pinned
Flask==3.0.3 \\
    --hash=sha256:${SHA}
requests>=2.31  # a range
-r other.txt
--index-url https://pypi.example/simple
./local-pkg
uvicorn[standard]==0.30.1; python_version >= "3.8"
`;

describe('requirements.txt', () => {
  it('reads the file a COPY put where pip -r reads it, with versions, hashes and both evidences', () => {
    const cs = components('FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n', {
      'requirements.txt': REQUIREMENTS,
    });
    assert.deepEqual(
      cs.map((c) => `${c.name}@${c.version ?? c.requested}`),
      ['flask@3.0.3', 'requests@>=2.31', 'uvicorn@0.30.1'],
    );
    assert.deepEqual(cs[0].hashes, [{ algorithm: 'SHA-256', value: SHA }]);
    assert.deepEqual(cs[0].evidence, { file: 'svc/Dockerfile', line: 4 });
    assert.deepEqual(cs[0].manifest, { file: 'svc/requirements.txt', line: 2 });
    assert.deepEqual(cs[2].manifest, { file: 'svc/requirements.txt', line: 8 });
  });

  it('follows COPY . <dest> for an absolute -r path', () => {
    const cs = components('FROM python\nCOPY . /src\nRUN pip install -r /src/deps/requirements.txt\n', { 'deps/requirements.txt': 'six==1.16.0\n' });
    assert.deepEqual(
      cs.map((c) => c.purl),
      ['pkg:pypi/six@1.16.0'],
    );
  });

  it('reads nothing when no COPY brings the file in, when it is absent, or without a context reader', () => {
    assert.deepEqual(components('FROM python\nRUN pip install -r requirements.txt\n', { 'requirements.txt': 'six\n' }), []);
    assert.deepEqual(components('FROM python\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n', {}), []);
    const sbom = dockerfileSbom('Dockerfile', 'FROM python\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n');
    assert.deepEqual(sbom.stages[0].components, []);
  });

  it('never asks for a path outside the context', () => {
    assert.deepEqual(
      components('FROM python\nCOPY ../secret/requirements.txt .\nRUN pip install -r requirements.txt\n', { '../secret/requirements.txt': 'six\n' }),
      [],
    );
  });
});

describe('package-lock.json', () => {
  const LOCK = JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'app' },
      'node_modules/express': {
        version: '4.19.2',
        resolved: 'https://registry.npmjs.org/express/-/express-4.19.2.tgz',
        integrity: `sha512-${Buffer.alloc(64, 1).toString('base64')}`,
      },
      'node_modules/@types/node': { version: '20.14.2', dev: true },
      'node_modules/express/node_modules/debug': { version: '2.6.9' },
      'packages/local': { version: '1.0.0' },
    },
  });

  it('reads every installed package of the lock for npm ci, leaving dev ones out with --omit=dev', () => {
    const all = components('FROM node:22\nCOPY package.json package-lock.json ./\nRUN npm ci\n', { 'package-lock.json': LOCK });
    assert.deepEqual(
      all.map((c) => `${c.name}@${c.version}`),
      ['express@4.19.2', '@types/node@20.14.2', 'debug@2.6.9'],
    );
    assert.equal(all[1].purl, 'pkg:npm/%40types/node@20.14.2');
    assert.equal(all[0].hashes[0].algorithm, 'SHA-512');
    assert.equal(all[0].url, 'https://registry.npmjs.org/express/-/express-4.19.2.tgz');
    const prod = components('FROM node:22\nCOPY . .\nRUN npm ci --omit=dev\n', { 'package-lock.json': LOCK });
    assert.deepEqual(
      prod.map((c) => c.name),
      ['express', 'debug'],
    );
  });

  it('does not read the lock for npm install <package>, and survives a broken lock', () => {
    assert.deepEqual(
      components('FROM node\nCOPY . .\nRUN npm install left-pad\n', { 'package-lock.json': LOCK }).map((c) => c.name),
      ['left-pad'],
    );
    assert.deepEqual(components('FROM node\nCOPY . .\nRUN npm ci\n', { 'package-lock.json': '{"packages": [1, 2' }), []);
    assert.deepEqual(
      components('FROM node\nCOPY . .\nRUN npm ci\n', { 'package-lock.json': '{"packages": {"node_modules/x": null, "node_modules/y": "str"}}' }),
      [],
    );
  });
});

describe('yarn.lock, pnpm-lock.yaml, Gemfile.lock', () => {
  const SRI = `sha512-${Buffer.alloc(64, 2).toString('base64')}`;
  const YARN_V1 = `# THIS IS AN AUTOGENERATED FILE.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.22.13":
  version "7.24.7"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.24.7.tgz#882fd9e09e8ee324e496bd040401c6f046ef4465"
  integrity ${SRI}
  dependencies:
    picocolors "^1.0.0"

picocolors@^1.0.0:
  version "1.0.1"
`;
  const YARN_BERRY = `__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."

"lodash@npm:^4.17.21":
  version: 4.17.21
  resolution: "lodash@npm:4.17.21"
  checksum: 10c0/d8cbea072bb08655bb4c989da418994b073a608dffa608b09ac04b43a791b12aeae7cd7ad919aa4c925f33b48490b5cfe6c1f71d827956071dae2e7bb3a6b74c
`;
  const PNPM_V9 = `lockfileVersion: '9.0'

packages:

  '@types/node@20.14.2':
    resolution: {integrity: ${SRI}}

  react-dom@18.3.1(react@18.3.1):
    resolution: {integrity: ${SRI}}
`;
  const PNPM_V5 = `lockfileVersion: 5.4

packages:

  /express/4.19.2:
    resolution: {integrity: ${SRI}}

  /@scope/tool/1.0.0_typescript@5.4.5:
    resolution: {tarball: https://example.com/tool-1.0.0.tgz}
`;
  const GEMFILE_LOCK = `GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.16.6-x86_64-linux)
      racc (~> 1.4)
    racc (1.8.0)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  nokogiri

BUNDLED WITH
   2.5.11
`;

  it('reads yarn.lock v1 and Berry for yarn install, with versions, hashes and header lines, not the workspace itself', () => {
    const v1 = components('FROM node:22\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n', { 'yarn.lock': YARN_V1 });
    assert.deepEqual(
      v1.map((c) => `${c.name}@${c.version} ${c.purl} ${c.manifest?.file}:${c.manifest?.line}`),
      ['@babel/code-frame@7.24.7 pkg:npm/%40babel/code-frame@7.24.7 svc/yarn.lock:5', 'picocolors@1.0.1 pkg:npm/picocolors@1.0.1 svc/yarn.lock:12'],
    );
    assert.equal(v1[0].hashes[0].algorithm, 'SHA-512');
    assert.equal(v1[0].url, 'https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.24.7.tgz');
    const berry = components('FROM node:22\nCOPY . .\nRUN yarn --immutable\n', { 'yarn.lock': YARN_BERRY });
    assert.deepEqual(
      berry.map((c) => `${c.name}@${c.version}`),
      ['lodash@4.17.21'],
    );
  });

  it('reads pnpm-lock.yaml of lockfile 9 and 5 for pnpm install, without peer suffixes', () => {
    assert.deepEqual(
      components('FROM node:22\nCOPY . .\nRUN pnpm install --frozen-lockfile\n', { 'pnpm-lock.yaml': PNPM_V9 }).map(
        (c) => `${c.name}@${c.version} ${c.hashes.length}`,
      ),
      ['@types/node@20.14.2 1', 'react-dom@18.3.1 1'],
    );
    const v5 = components('FROM node:22\nCOPY . .\nRUN pnpm i\n', { 'pnpm-lock.yaml': PNPM_V5 });
    assert.deepEqual(
      v5.map((c) => `${c.name}@${c.version}`),
      ['express@4.19.2', '@scope/tool@1.0.0'],
    );
    assert.equal(v5[1].url, 'https://example.com/tool-1.0.0.tgz');
  });

  it('reads the GEM specs of Gemfile.lock for bundle install, with the platform as a qualifier', () => {
    const gems = components('FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\n', { 'Gemfile.lock': GEMFILE_LOCK });
    assert.deepEqual(
      gems.map((c) => `${c.purl} ${c.manifest?.line}`),
      ['pkg:gem/nokogiri@1.16.6?platform=x86_64-linux 4', 'pkg:gem/racc@1.8.0 6'],
    );
  });

  it('does not read a lock for yarn add, pnpm add or bundle exec, and survives broken locks', () => {
    const ctx = { 'yarn.lock': YARN_V1, 'pnpm-lock.yaml': PNPM_V9, 'Gemfile.lock': GEMFILE_LOCK };
    assert.deepEqual(
      components('FROM node\nCOPY . .\nRUN yarn add left-pad && pnpm add is-odd && bundle exec rake && yarn build\n', ctx).map((c) => c.name),
      ['left-pad', 'is-odd'],
    );
    assert.deepEqual(components('FROM node\nCOPY . .\nRUN pnpm install\n', { 'pnpm-lock.yaml': 'packages: [1, 2' }), []);
    assert.deepEqual(
      components('FROM node\nCOPY . .\nRUN pnpm install\n', { 'pnpm-lock.yaml': 'packages:\n  x: null\n  "y@1.0.0": 3\n' }).map((c) => c.name),
      ['y'],
    );
    assert.deepEqual(components('FROM node\nCOPY . .\nRUN yarn\n', { 'yarn.lock': '"unterminated\n  version\n:' }), []);
  });
});
