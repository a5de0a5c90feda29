/**
 * `bulkhead sbom` output against the official CycloneDX 1.6 and SPDX 2.3 JSON schemas: for Dockerfiles
 * using every pattern the SBOM reads, and for every Dockerfile of ../shared/corpus (skipped when absent).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { collectSboms } from '../../server/src/cli/sbomCommand';
import { dockerfileSbom, toCycloneDx, toSpdx } from '../../server/src/sbom';
import { CORPUS } from '../support/paths';
import { cycloneDx16, describeErrors, spdx23 } from './validators';

const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const OPTIONS = { toolVersion: '1.2.3', now: new Date('2026-01-02T03:04:05.678Z'), subject: 'Dockerfile' };

/** One Dockerfile with every kind of component, property and relationship the SBOM writes. */
const EVERYTHING = `ARG BASE=debian:bookworm-slim@sha256:${SHA}
FROM golang:1.22-alpine AS builder
ARG V=1.0
RUN apk add --no-cache --virtual .deps gcc=13.2.1-r0 musl-dev && go install golang.org/x/tools/gopls@v0.16.1 && apk del .deps
RUN curl -fsSLo /tmp/t.tgz "https://example.com/t/\${V}/t.tgz" && echo "${SHA}  /tmp/t.tgz" | sha256sum -c - && rm -rf /var/lib/dpkg /etc/os-release
RUN apk add $UNKNOWN && wget https://example.com/\${NOPE}/x.bin
FROM \${BASE}
RUN apt-get install -y nginx=1.22.1-9 && pip install flask==3.0.3 'x>=1' && npm i -g @scope/p@1.0.0 && gem install rake -v 13.2.1 && cargo install rg@14.1.0
ADD --checksum=sha256:${SHA} https://example.com/x.tar.gz /x/
RUN find / -name "*.dist-info" -delete && rm requirements.txt
COPY --from=builder / /
COPY --from=busybox:1.36 /bin/busybox /bin/busybox
`;

describe('CycloneDX 1.6 and SPDX 2.3 schema validation', () => {
  const cdx = cycloneDx16();
  const spdx = spdx23();

  it('the validators reject documents that break the schemas (so a pass means something)', () => {
    const good = toCycloneDx([dockerfileSbom('Dockerfile', EVERYTHING)], OPTIONS) as Record<string, unknown>;
    assert.equal(cdx(good), null);
    assert.notEqual(cdx({ ...good, specVersion: 1.6 }), null);
    assert.notEqual(cdx({ ...good, components: [{ type: 'library', name: 'x', hashes: [{ alg: 'SHA-256', content: 'zz' }] }] }), null);
    const doc = toSpdx([dockerfileSbom('Dockerfile', EVERYTHING)], OPTIONS) as Record<string, unknown>;
    assert.equal(spdx(doc), null);
    assert.notEqual(spdx({ ...doc, creationInfo: { created: '2026-01-02T03:04:05.678Z', creators: ['Tool: x'] } }), null);
    assert.notEqual(spdx({ ...doc, packages: [{ SPDXID: 'SPDXRef-a b', name: 'x', downloadLocation: 'NOASSERTION' }] }), null);
  });

  it('a Dockerfile using every pattern validates in both formats', () => {
    const context: Record<string, string> = {
      'requirements.txt': `flask==3.0.3 --hash=sha256:${SHA}\nrequests>=2\n`,
      'package-lock.json': JSON.stringify({
        packages: {
          'node_modules/@a/b': {
            version: '1.0.0',
            integrity: `sha512-${Buffer.alloc(64, 7).toString('base64')}`,
            resolved: 'https://registry.npmjs.org/@a/b/-/b-1.0.0.tgz',
          },
        },
      }),
    };
    const withManifests = dockerfileSbom('web/Dockerfile', 'FROM node\nCOPY . .\nRUN npm ci && pip install -r requirements.txt\n', {
      readContext: (p) => context[p],
    });
    assert.equal(withManifests.stages[0].components.length, 3);
    const sboms = [dockerfileSbom('app/Dockerfile', EVERYTHING), dockerfileSbom('app/Dockerfile', EVERYTHING), withManifests];
    const c = toCycloneDx(sboms, OPTIONS);
    assert.equal(cdx(c), null, describeErrors(cdx(c)));
    const s = toSpdx(sboms, OPTIONS);
    assert.equal(spdx(s), null, describeErrors(spdx(s)));
  });

  it('CycloneDX: stages are containers depending on what they declare, with evidence and properties', () => {
    const doc = toCycloneDx([dockerfileSbom('app/Dockerfile', EVERYTHING)], OPTIONS) as {
      serialNumber: string;
      metadata: { timestamp: string; component: { 'bom-ref': string } };
      components: {
        'bom-ref': string;
        name: string;
        type: string;
        hashes?: unknown[];
        evidence: { occurrences: { location: string; line: number }[] };
        properties: { name: string; value: string }[];
      }[];
      dependencies: { ref: string; dependsOn: string[] }[];
    };
    assert.equal(doc.metadata.timestamp, '2026-01-02T03:04:05Z');
    const final = doc.components.find((c) => c.name === 'app/Dockerfile#1')!;
    const props = (c: (typeof doc.components)[number]): string[] => c.properties.map((p) => `${p.name}=${p.value}`);
    assert.ok(props(final).includes('bulkhead:flattens-stage=builder (app/Dockerfile:11)'));
    assert.ok(props(final).includes('bulkhead:deletes:language-metadata=/**/*.dist-info (app/Dockerfile:10)'), props(final).join('\n'));
    assert.ok(props(final).includes('bulkhead:deletes:dependency-manifest=requirements.txt (app/Dockerfile:10)'));
    const builder = doc.components.find((c) => c.name === 'app/Dockerfile#builder')!;
    assert.ok(props(builder).includes('bulkhead:deletes:package-database=/var/lib/dpkg (app/Dockerfile:5)'));
    assert.ok(props(builder).includes('bulkhead:unresolved-install=apk $UNKNOWN (app/Dockerfile:6)'));
    assert.ok(props(builder).includes('bulkhead:target=false'));
    const gcc = doc.components.find((c) => c.name === 'gcc')!;
    assert.deepEqual(gcc.evidence.occurrences, [{ location: 'app/Dockerfile', line: 4 }]);
    assert.ok(props(gcc).includes('bulkhead:removed-at=app/Dockerfile:4'));
    const deps = new Map(doc.dependencies.map((d) => [d.ref, d.dependsOn]));
    assert.deepEqual(deps.get(doc.metadata.component['bom-ref']), [final['bom-ref']]);
    assert.ok(deps.get(final['bom-ref'])!.includes(builder['bom-ref']), 'the flattening stage depends on the flattened one');
    assert.ok(deps.get(builder['bom-ref'])!.includes(gcc['bom-ref']));
    const refs = doc.components.map((c) => c['bom-ref']);
    assert.equal(new Set(refs).size, refs.length, 'bom-refs are unique');
    // The same input gives the same serial number.
    assert.equal((toCycloneDx([dockerfileSbom('app/Dockerfile', EVERYTHING)], OPTIONS) as { serialNumber: string }).serialNumber, doc.serialNumber);
  });

  it('SPDX: the document describes the target stages; stages contain components and descend from base images', () => {
    const doc = toSpdx([dockerfileSbom('app/Dockerfile', EVERYTHING)], OPTIONS) as {
      packages: { SPDXID: string; name: string; versionInfo?: string; checksums?: unknown[]; downloadLocation: string; sourceInfo: string }[];
      relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
    };
    const id = (name: string): string => doc.packages.find((p) => p.name === name)!.SPDXID;
    const has = (a: string, type: string, b: string): boolean =>
      doc.relationships.some((r) => r.spdxElementId === a && r.relationshipType === type && r.relatedSpdxElement === b);
    assert.ok(has('SPDXRef-DOCUMENT', 'DESCRIBES', id('app/Dockerfile#1')));
    assert.ok(!has('SPDXRef-DOCUMENT', 'DESCRIBES', id('app/Dockerfile#builder')));
    assert.ok(has(id('app/Dockerfile#1'), 'CONTAINS', id('nginx')));
    assert.ok(has(id('app/Dockerfile#1'), 'DESCENDANT_OF', id('debian')));
    assert.ok(has(id('app/Dockerfile#1'), 'GENERATED_FROM', id('app/Dockerfile#builder')));
    const x = doc.packages.find((p) => p.name === 'x.tar.gz')!;
    assert.equal(x.downloadLocation, 'https://example.com/x.tar.gz');
    assert.deepEqual(x.checksums, [{ algorithm: 'SHA256', checksumValue: SHA }]);
    assert.equal(doc.packages.find((p) => p.name === 'nginx')!.sourceInfo, 'declared at app/Dockerfile:8 by apt-get');
    // A URL with an unknown variable is no download location.
    assert.equal(doc.packages.find((p) => p.name === 'x.bin')!.downloadLocation, 'NOASSERTION');
  });

  it('every Dockerfile of the corpus gives valid CycloneDX and SPDX, without an internal error', {
    skip: fs.existsSync(CORPUS) ? false : `no corpus at ${CORPUS}`,
  }, () => {
    const { sboms, problems } = collectSboms([CORPUS], CORPUS);
    assert.deepEqual(problems, []);
    assert.ok(sboms.length >= 50, `found ${sboms.length} Dockerfiles`);
    const c = toCycloneDx(sboms, { ...OPTIONS, subject: 'corpus' });
    assert.equal(cdx(c), null, describeErrors(cdx(c)));
    const s = toSpdx(sboms, { ...OPTIONS, subject: 'corpus' });
    assert.equal(spdx(s), null, describeErrors(spdx(s)));
    // Each file on its own too: one document per Dockerfile is how most users will run it.
    for (const sbom of sboms) {
      const one = toCycloneDx([sbom], { ...OPTIONS, subject: sbom.file });
      assert.equal(cdx(one), null, `${sbom.file}: ${describeErrors(cdx(one))}`);
      const two = toSpdx([sbom], { ...OPTIONS, subject: sbom.file });
      assert.equal(spdx(two), null, `${sbom.file}: ${describeErrors(spdx(two))}`);
    }
  });
});
