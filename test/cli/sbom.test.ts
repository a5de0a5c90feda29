/**
 * `bulkhead sbom` as a user runs it: the real bin script over the built bundle.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';
import { cycloneDx16, describeErrors, spdx23 } from '../sbom/validators';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

function bulkhead(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const workspaces: string[] = [];
function workspace(files: Record<string, string>): string {
  const root = tempWorkspace(files);
  workspaces.push(root);
  return root;
}
after(() => workspaces.forEach(removeWorkspace));

const FILES = {
  Dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache jq=1.7.1-r0\n',
  'tools/build.Dockerfile': 'FROM golang:1.22 AS b\nRUN go install golang.org/x/tools/gopls@v0.16.1\nFROM scratch\nCOPY --from=b /go/bin/gopls /gopls\n',
  'k8s/deploy.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n',
};

describe('bulkhead sbom', () => {
  it('writes CycloneDX 1.6 for every Dockerfile under the folder, with paths relative to the working directory', () => {
    const root = workspace(FILES);
    const r = bulkhead(['sbom'], root);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { specVersion: string; components: { name: string; evidence: { occurrences: { location: string }[] } }[] };
    assert.equal(doc.specVersion, '1.6');
    assert.equal(cycloneDx16()(doc), null, describeErrors(cycloneDx16()(doc)));
    const names = doc.components.map((c) => c.name);
    assert.ok(names.includes('jq') && names.includes('golang.org/x/tools/gopls') && names.includes('/go/bin/gopls'), names.join(', '));
    assert.ok(names.includes('Dockerfile#0') && names.includes('tools/build.Dockerfile#1'));
    assert.equal(doc.components.find((c) => c.name === 'jq')!.evidence.occurrences[0].location, 'Dockerfile');
  });

  it('writes SPDX 2.3 to --out and nothing to stdout', () => {
    const root = workspace(FILES);
    const r = bulkhead(['sbom', 'Dockerfile', '--format', 'spdx', '--out', 'sbom.spdx.json'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    const doc = JSON.parse(fs.readFileSync(path.join(root, 'sbom.spdx.json'), 'utf8')) as { spdxVersion: string; packages: { name: string }[] };
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.equal(spdx23()(doc), null, describeErrors(spdx23()(doc)));
    assert.deepEqual(
      doc.packages.map((p) => p.name),
      ['Dockerfile#0', 'alpine', 'jq'],
    );
  });

  it('reads a file named on the command line whatever its name', () => {
    const root = workspace({ 'image.txt': 'FROM debian\nRUN apt-get install -y curl\n' });
    const r = bulkhead(['sbom', 'image.txt'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes('pkg:deb/debian/curl'));
  });

  it('exits 2 for a missing path, a folder without Dockerfiles, and bad options', () => {
    const root = workspace({ 'k8s/deploy.yaml': FILES['k8s/deploy.yaml'] });
    const missing = bulkhead(['sbom', 'nope'], root);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope: no such file or folder/);
    const none = bulkhead(['sbom', '.'], root);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no Dockerfile under \./);
    const format = bulkhead(['sbom', '--format', 'xml'], root);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /--format must be one of cyclonedx, spdx/);
    assert.equal(bulkhead(['sbom', '--bogus'], root).status, 2);
  });

  it('is listed in the help', () => {
    const r = bulkhead(['--help'], REPO_ROOT);
    assert.match(r.stdout, /bulkhead sbom \[PATH\.\.\.\] \[--format cyclonedx\|spdx\] \[--out FILE\]/);
  });
});
