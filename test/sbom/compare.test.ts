/**
 * `bulkhead sbom Dockerfile --compare SCANNER.json` against hand-written scanner SBOMs in both formats
 * (test/fixtures/sbom/compare: a Syft-style CycloneDX and a Trivy-style SPDX document of one image).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../server/src/cli/main';
import { compareWithScanner, normalizeVersion, packageKey } from '../../server/src/sbom/compare';
import { dockerfileSbom, modelSbom } from '../../server/src/sbom';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { recordedDownloads } from '../../server/src/sbom/records';
import { parsePurl, readScannerSbom, ScannerSbomError } from '../../server/src/sbom/scannerSbom';
import { REPO_ROOT } from '../support/paths';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'sbom', 'compare');

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = run(args, { cwd: DIR, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {}, stderrIsTty: false });
  return { status, stdout, stderr };
}

interface JsonOut {
  findings: { ruleId: string; severity: string; message: string; range: { start: { line: number } } }[];
}

describe('reading scanner SBOMs', () => {
  it('parses package URLs with namespaces, encoded versions and qualifiers', () => {
    assert.deepEqual(parsePurl('pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12'), {
      type: 'deb',
      namespace: 'debian',
      name: 'curl',
      version: '7.88.1-10+deb12u5',
    });
    assert.deepEqual(parsePurl('pkg:npm/%40types/node@20.1.0'), { type: 'npm', namespace: '@types', name: 'node', version: '20.1.0' });
    assert.deepEqual(parsePurl('pkg:golang/github.com/spf13/cobra@v1.8.0#sub'), {
      type: 'golang',
      namespace: 'github.com/spf13',
      name: 'cobra',
      version: 'v1.8.0',
    });
    assert.equal(parsePurl('https://example.com'), undefined);
  });

  it('tells CycloneDX from SPDX by content and names the tool; skips the OS entry and the image', () => {
    const cdx = readScannerSbom(fs.readFileSync(path.join(DIR, 'syft.cdx.json'), 'utf8'));
    assert.equal(cdx.format, 'CycloneDX');
    assert.equal(cdx.tool, 'Syft');
    assert.deepEqual(
      cdx.components.map((c) => c.name),
      ['curl', 'libc6', 'python3-pip', 'requests', 'Flask-Cors'],
    );
    const spdx = readScannerSbom(fs.readFileSync(path.join(DIR, 'trivy.spdx.json'), 'utf8'));
    assert.equal(spdx.format, 'SPDX');
    assert.equal(spdx.tool, 'Trivy');
    assert.deepEqual(
      spdx.components.map((c) => c.name),
      ['curl', 'libpq5', 'python3-pip', 'requests', 'zlib1g'],
    );
    assert.throws(() => readScannerSbom('{"hello": 1}'), ScannerSbomError);
    assert.throws(() => readScannerSbom('not json'), ScannerSbomError);
  });

  it('reads hostile shapes without throwing: strings where objects belong, deep nesting', () => {
    const depth = 3000;
    const nested = `${'{"type":"library","name":"n","components":['.repeat(depth)}{"name":"x","purl":"pkg:npm/x@1"}${']}'.repeat(depth)}`;
    const sbom = readScannerSbom(`{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":"x","components":[${nested},"str",null,5]}`);
    assert.equal(sbom.components.length, depth + 1);
    assert.equal(readScannerSbom(JSON.stringify({ spdxVersion: 'SPDX-2.3', packages: [null, 'x', { name: 1, externalRefs: 'x' }] })).components.length, 0);
  });
});

describe('matching', () => {
  it('matches OS packages by name whatever the distribution namespace, arch suffix or epoch', () => {
    assert.equal(packageKey('deb', 'debian', 'libc6:amd64'), packageKey('deb', 'ubuntu', 'libc6'));
    assert.equal(packageKey('apk', 'alpine', 'Py3-Pip'), packageKey('apk', 'wolfi', 'py3-pip'));
    assert.equal(packageKey('pypi', undefined, 'Flask_Cors'), packageKey('pypi', undefined, 'flask-cors'));
    assert.notEqual(packageKey('npm', '@types', 'node'), packageKey('npm', undefined, 'node'));
    assert.equal(normalizeVersion('1:1.2.13.dfsg-1'), '1.2.13.dfsg-1');
    assert.equal(normalizeVersion('v1.30.2'), '1.30.2');
  });

  it('finds what the scanner lacks, what it lists at another version, and what the build does not explain', () => {
    const sbom = dockerfileSbom('Dockerfile', fs.readFileSync(path.join(DIR, 'Dockerfile'), 'utf8'));
    const result = compareWithScanner(sbom, readScannerSbom(fs.readFileSync(path.join(DIR, 'syft.cdx.json'), 'utf8')));
    assert.deepEqual(
      result.missing.map((m) => [m.label, m.otherVersions]),
      [
        ['libpq5', []],
        ['postgresql 16.3', []],
        ['requests 2.32.3', ['2.31.0']],
      ],
    );
    assert.deepEqual(
      result.unexplained.map((c) => c.name),
      ['libc6'],
    );
  });

  it('looks a download up by the name and version its record gives, even through a variable', () => {
    const text =
      'FROM debian:12\nARG V=2.4.1\n# bulkhead-sbom: name=acme-agent version=2.4.1 source=https://dl.example.com/${V}/agent.tar.gz\nRUN curl -fsSLO https://dl.example.com/${V}/agent.tar.gz\n';
    const model = new DockerfileModel(text);
    const sbom = modelSbom('Dockerfile', model);
    const recorded = recordedDownloads(model, sbom);
    assert.deepEqual(
      [...recorded.values()].map((r) => r.name),
      ['acme-agent'],
    );
    const listed = readScannerSbom(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        components: [{ type: 'application', name: 'acme-agent', version: '2.4.1', purl: 'pkg:generic/acme-agent@2.4.1' }],
      }),
    );
    assert.deepEqual(compareWithScanner(sbom, listed, recorded).missing, []);
    // The SBOM itself carries the record; without it the URL's file name is all there is to go by.
    assert.deepEqual(compareWithScanner(sbom, listed).missing, []);
    const unrecorded = dockerfileSbom(
      'Dockerfile',
      text
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n'),
    );
    assert.deepEqual(
      compareWithScanner(unrecorded, listed).missing.map((m) => m.label),
      ['agent 2.4.1'],
    );
  });

  it('does not invent findings when the scanner lists everything', () => {
    const sbom = dockerfileSbom('Dockerfile', 'FROM alpine:3.20\nRUN apk add --no-cache jq=1.7.1-r0\n');
    const scanner = readScannerSbom(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        components: [{ type: 'library', name: 'jq', version: '1.7.1-r0', purl: 'pkg:apk/alpine/jq@1.7.1-r0?arch=x86_64' }],
      }),
    );
    const result = compareWithScanner(sbom, scanner);
    assert.deepEqual(result.missing, []);
    assert.deepEqual(result.unexplained, []);
  });
});

describe('bulkhead sbom --compare', () => {
  it('CycloneDX (Syft): findings on the declaring lines, exit 1, the recorded download named as recorded', () => {
    const r = cli(['sbom', 'Dockerfile', '--compare', 'syft.cdx.json', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    const shown = out.findings.map((f) => [f.ruleId, f.range.start.line + 1, f.message]);
    assert.deepEqual(
      shown.map((s) => s.slice(0, 2)),
      [
        ['sbom-scanner-unexplained', 2],
        ['sbom-scanner-missing', 5],
        ['sbom-scanner-missing', 6],
        ['sbom-scanner-other-version', 8],
      ],
    );
    assert.equal(
      shown[0][2],
      "Syft's SBOM (CycloneDX) lists deb libc6 2.36-9+deb12u7, which no instruction declares: it presumably comes from the base image debian:12.5.",
    );
    assert.equal(shown[1][2], "Syft's SBOM (CycloneDX) of this image does not list libpq5, installed here: it cannot be checked for vulnerabilities.");
    assert.equal(
      shown[2][2],
      "Syft's SBOM (CycloneDX) of this image does not list postgresql 16.3, fetched here: it cannot be checked for vulnerabilities (fetched by curl outside any package manager, it leaves no record an image scanner reads).",
    );
    assert.match(String(shown[3][2]), /lists requests at 2\.31\.0, not 2\.32\.3 as pinned here/);
  });

  it('SPDX (Trivy): the download and a Python package are missing; epochs and distro qualifiers do not get in the way', () => {
    const r = cli(['sbom', 'Dockerfile', '--compare', 'trivy.spdx.json', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    assert.deepEqual(
      out.findings.map((f) => [f.ruleId, f.range.start.line + 1]),
      [
        ['sbom-scanner-unexplained', 2],
        ['sbom-scanner-missing', 6],
        ['sbom-scanner-missing', 8],
      ],
    );
    assert.match(out.findings[2].message, /does not list flask-cors 4\.0\.1, installed here/);
    assert.match(out.findings[0].message, /^Trivy's SBOM \(SPDX\) lists deb zlib1g 1:1\.2\.13\.dfsg-1/);
  });

  it('exit codes as scan: --fail-on never and info; 2 for an unreadable or foreign file', () => {
    assert.equal(cli(['sbom', 'Dockerfile', '--compare', 'trivy.spdx.json', '--fail-on', 'never']).status, 0);
    const text = cli(['sbom', 'Dockerfile', '--compare', 'trivy.spdx.json']);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /Dockerfile\n[\s\S]*6:\d+ +error +Trivy's SBOM \(SPDX\) of this image does not list postgresql 16\.3/);
    const missing = cli(['sbom', 'Dockerfile', '--compare', 'nope.json']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read the scanner SBOM/);
    const foreign = cli(['sbom', 'Dockerfile', '--compare', 'Dockerfile']);
    assert.equal(foreign.status, 2);
    assert.match(foreign.stderr, /not JSON/);
    assert.equal(cli(['sbom', 'Dockerfile', '--compare', 'syft.cdx.json', '--format', 'spdx']).status, 2);
  });

  it('writes SARIF with the findings as results', () => {
    const r = cli(['sbom', 'Dockerfile', '--compare', 'syft.cdx.json', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string }[]; tool: { driver: { rules: { id: string }[] } } }[] };
    assert.deepEqual(
      sarif.runs[0].results.map((x) => x.level),
      ['note', 'error', 'error', 'warning'],
    );
    assert.deepEqual(
      sarif.runs[0].tool.driver.rules.map((x) => x.id),
      ['sbom-scanner-missing', 'sbom-scanner-other-version', 'sbom-scanner-unexplained'],
    );
  });
});

describe('records in the build-time SBOM', () => {
  it('carries a recorded name and version as properties of the download', () => {
    const sbom = dockerfileSbom('Dockerfile', fs.readFileSync(path.join(DIR, 'Dockerfile'), 'utf8'));
    const download = sbom.stages[0].components.find((c) => c.kind === 'download');
    assert.deepEqual(download?.recorded, { name: 'postgresql', version: '16.3' });
    const plain = dockerfileSbom('Dockerfile', 'FROM debian:12\nRUN curl -fsSLO https://example.com/x-1.0.tar.gz\n');
    assert.equal(plain.stages[0].components[0].recorded, undefined);
  });
});
