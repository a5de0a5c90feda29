import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../rules/tester';
import { helmDependencyVersionRange } from '../../../rules/helm/dependencyVersionRange';
import { helmDependencyHttpRepository } from '../../../rules/helm/dependencyHttpRepository';
import { helmChartLockOutOfDate } from '../../../rules/helm/chartLock';
import { helmChartApiV1 } from '../../../rules/helm/chartApiV1';
import { isPinned, satisfies } from '../../../rules/helm/semver';

const chart = (deps: string) => `apiVersion: v2\nname: web\nversion: 1.0.0\n${deps ? `dependencies:\n${deps}` : ''}`;
const dep = (name: string, version: string, repository = 'https://charts.example.com') =>
  `  - name: ${name}\n    version: ${version}\n    repository: ${repository}\n`;
const lock = (...entries: [string, string, string?][]) =>
  `dependencies:\n${entries.map(([n, v, r]) => `- name: ${n}\n  repository: ${r ?? 'https://charts.example.com'}\n  version: ${v}\n`).join('')}digest: sha256:00\ngenerated: "2026-01-01T00:00:00Z"\n`;

RuleTester.run(helmDependencyVersionRange, {
  valid: [
    { name: 'exact', code: chart(dep('redis', '5.2.1')) },
    { name: 'exact with v and pre-release', code: chart(dep('redis', 'v5.2.1-rc.1+b7')) },
    { name: 'quoted exact', code: chart(dep('redis', '"5.2.1"')) },
    { name: 'no dependencies', code: chart('') },
    { name: 'a Chart.yaml without a version field on the dependency', code: chart('  - name: local\n    repository: file://../local\n') },
    { name: 'odd shapes', code: 'apiVersion: v2\ndependencies: {a: 1}\n' },
    { name: 'odd list items', code: 'dependencies:\n  - 5\n  - [a]\n  - name: {x: 1}\n    version: "*"\n' },
  ],
  invalid: [
    {
      name: 'a 5.* wildcard, pinned to the locked version in its own quoting',
      code: chart(dep('redis', '"5.*"')),
      files: { 'Chart.lock': lock(['redis', '5.2.1']) },
      errors: [
        {
          text: 'version: "5.*"',
          message:
            'dependency "redis" accepts any version matching "5.*": each `helm dependency update` may bring in a different, unreviewed chart (Chart.lock resolved 5.2.1).',
        },
      ],
      output: chart(dep('redis', '"5.2.1"')),
    },
    {
      name: 'caret, tilde, comparisons, partial, x and OR ranges',
      code: chart(dep('a', '^5.0.0') + dep('b', '~5.2') + dep('c', "'>=5.0.0 <6.0.0'") + dep('d', '"5.2"') + dep('e', '5.x') + dep('f', '"1.2.3 || 2.x"')),
      files: { 'Chart.lock': lock(['a', '5.9.0'], ['b', '5.2.7'], ['c', '5.1.0'], ['d', '5.2.3'], ['e', '5.0.1'], ['f', '2.4.0']) },
      errors: [{ line: 5 }, { line: 8 }, { line: 11 }, { line: 14 }, { line: 17 }, { line: 20 }],
      output: chart(dep('a', '5.9.0') + dep('b', '5.2.7') + dep('c', "'5.1.0'") + dep('d', '"5.2.3"') + dep('e', '5.0.1') + dep('f', '"2.4.0"')),
    },
    {
      name: 'no fix without a lock, or when the lock is outside the range',
      code: chart(dep('redis', '5.*') + dep('pg', '^12.0.0')),
      files: { 'Chart.lock': lock(['pg', '11.9.0']) },
      errors: [{ message: /"redis" accepts any version matching "5\.\*".*chart\.$/ }, { message: /"pg".*chart\.$/ }],
      output: chart(dep('redis', '5.*') + dep('pg', '^12.0.0')),
    },
  ],
});

RuleTester.run(helmDependencyHttpRepository, {
  valid: [
    { name: 'https', code: chart(dep('redis', '5.2.1')) },
    {
      name: 'oci, file and repository aliases',
      code: chart(dep('a', '1.0.0', 'oci://registry.example.com/charts') + dep('b', '1.0.0', 'file://../b') + dep('c', '1.0.0', '"@stable"')),
    },
    { name: 'http in another field', code: chart('  - name: a\n    version: 1.0.0\n    repository: https://x\n    alias: http://not-a-repo\n') },
  ],
  invalid: [
    {
      name: 'plain http, fixed to https in its quoting',
      code: chart(dep('redis', '5.2.1', 'http://charts.example.com/stable') + dep('pg', '1.0.0', '"HTTP://charts.example.com"')),
      errors: [
        {
          text: 'repository: http://charts.example.com/stable',
          message: 'dependency "redis" is fetched from http://charts.example.com/stable over plain http: anyone on the network path can substitute the chart.',
        },
        { line: 9 },
      ],
      output: chart(dep('redis', '5.2.1', 'https://charts.example.com/stable') + dep('pg', '1.0.0', '"https://charts.example.com"')),
    },
  ],
});

RuleTester.run(helmChartLockOutOfDate, {
  valid: [
    { name: 'in step', code: chart(dep('redis', '5.*')), files: { 'Chart.lock': lock(['redis', '5.2.1']) } },
    { name: 'no dependencies, no lock', code: chart('') },
    { name: 'a lock that does not parse is left to the YAML rules', code: chart(dep('redis', '5.*')), files: { 'Chart.lock': 'dependencies: [' } },
  ],
  invalid: [
    { name: 'no Chart.lock', code: chart(dep('redis', '5.*')), errors: [{ text: 'dependencies', message: /1 dependency and no Chart\.lock/ }] },
    {
      name: 'a lock without its digest',
      code: chart(dep('redis', '5.*')),
      files: { 'Chart.lock': lock(['redis', '5.2.1']).replace('digest: sha256:00\n', '') },
      errors: [{ text: 'dependencies', message: /^Chart\.lock records no digest/ }],
    },
    {
      name: 'a lock with an empty digest',
      code: chart(dep('redis', '5.*')),
      files: { 'Chart.lock': lock(['redis', '5.2.1']).replace('digest: sha256:00', 'digest: ""') },
      errors: [{ message: /^Chart\.lock records no digest/ }],
    },
    {
      name: 'missing, outside the range, another repository, and a stale entry',
      code: chart(dep('redis', '5.*') + dep('pg', '^12.0.0') + dep('new', '1.0.0')),
      files: { 'Chart.lock': lock(['redis', '5.2.1', 'http://old.example.com'], ['pg', '11.9.0'], ['gone', '1.0.0']) },
      errors: [
        { line: 3, message: /still lists "gone"/ },
        { text: 'repository: https://charts.example.com', message: /fetched redis from http:\/\/old\.example\.com/ },
        { text: 'version: ^12.0.0', message: 'Chart.lock holds pg 11.9.0, outside "^12.0.0": the lock is out of date.' },
        { text: 'name: new', message: 'dependency "new" is not in Chart.lock: the lock predates it.' },
      ],
    },
  ],
});

RuleTester.run(helmChartApiV1, {
  valid: [
    { name: 'apiVersion v2', code: chart(dep('redis', '5.2.1')), files: { 'Chart.lock': lock(['redis', '5.2.1']) } },
    { name: 'no apiVersion', code: 'name: web\nversion: 1.0.0\n' },
    { name: 'v1 elsewhere', code: 'apiVersion: v2\nname: v1\nversion: 1.0.0\nannotations:\n  apiVersion: v1\n' },
    { name: 'odd shapes', code: 'apiVersion: {v: 1}\n' },
  ],
  invalid: [
    {
      name: 'a Helm 2 chart',
      code: 'apiVersion: v1\nname: web\nversion: 1.0.0\n',
      errors: [{ text: 'apiVersion: v1', message: /^this chart is in the Helm 2 format \(apiVersion: v1\), deprecated since Helm 3/ }],
    },
    {
      name: 'a Helm 2 chart with dependencies in Chart.yaml',
      code: "apiVersion: 'v1'\nname: web\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 5.2.1\n    repository: https://x\n",
      errors: [{ text: "apiVersion: 'v1'", message: /dependencies belong in requirements\.yaml/ }],
    },
  ],
});

describe('helm dependency versions (Masterminds/semver reading)', () => {
  it('pinned or not', () => {
    for (const v of ['1.2.3', 'v1.2.3', '=1.2.3', '1.2.3-rc.1', '1.2.3+build']) assert.equal(isPinned(v), true, v);
    for (const v of ['1.2', '1', '1.2.x', '1.*', '*', '^1.2.3', '~1.2.3', '>=1.2.3', '1.2.3 - 1.4.0', '1.2.3 || 1.2.4', ''])
      assert.equal(isPinned(v), false, v);
  });
  it('satisfies', () => {
    const cases: [string, string, boolean | undefined][] = [
      ['5.2.1', '5.*', true],
      ['6.0.0', '5.*', false],
      ['5.2.9', '5.2', true],
      ['5.3.0', '5.2', false],
      ['5.9.0', '^5.0.0', true],
      ['6.0.0', '^5.0.0', false],
      ['0.3.9', '^0.3.1', true],
      ['0.4.0', '^0.3.1', false],
      ['0.0.4', '^0.0.3', undefined],
      ['5.2.9', '~5.2.1', true],
      ['5.3.0', '~5.2.1', false],
      ['5.9.9', '~5', true],
      ['1.5.0', '>= 1.2, < 2', true],
      ['2.0.0', '>=1.2 <2', false],
      ['1.3.0', '>1.2', true],
      ['1.2.9', '>1.2', false],
      ['1.2.9', '<=1.2', true],
      ['1.3.0', '<=1.2', false],
      ['1.4.5', '1.2 - 1.4', true],
      ['1.5.0', '1.2 - 1.4', false],
      ['2.4.0', '1.2.3 || 2.x', true],
      ['3.0.0', '1.2.3 || 2.x', false],
      ['1.2.3', '!=1.2.3', false],
      ['9.9.9', '*', true],
      ['1.2.3', 'bogus', undefined],
      ['1.2.3-rc.1', '1.*', undefined],
    ];
    for (const [v, c, want] of cases) assert.equal(satisfies(v, c), want, `${v} in ${c}`);
  });
});
