/**
 * Packages from the dependency files an install reads, when the build context beside the Dockerfile
 * has them: requirements.txt for `pip install -r`, package-lock.json for `npm ci`.
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
