import { normalizeCheckId } from '../../server/src/engine/references';
import assert from 'node:assert/strict';
import { SPINE_RULES } from '../support/rules';
import { describe, it } from 'node:test';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { ALL_RULES } from '../../rules';

const engine = new Engine(new ResolvedConfig(SPINE_RULES, {}, 'all'));
const ids = (path: string, text: string) => engine.lint(path, text).findings.map((f) => f.ruleId);

const POD = (extra = '', annotations = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${annotations}spec:\n${extra}  containers:\n  - name: c\n    securityContext:\n      privileged: true\n`;

describe('inline suppressions', () => {
  it('reports without suppressions', () => {
    assert.deepEqual(ids('p.yaml', POD('  hostNetwork: true\n')), ['host-network', 'privileged-container']);
  });

  it('# bulkhead-ignore covers the next line only, with a reason', () => {
    const text = POD('  # bulkhead-ignore host-network -- CNI agent needs the node network\n  hostNetwork: true\n');
    assert.deepEqual(ids('p.yaml', text), ['privileged-container']);
  });

  it('a trailing # bulkhead-ignore covers its own line', () => {
    const text = POD().replace('privileged: true', 'privileged: true # bulkhead-ignore privileged-container -- debug pod');
    assert.deepEqual(ids('p.yaml', text), []);
  });

  it('a suppression for another rule does not hide this one', () => {
    const text = POD().replace('    securityContext:', '    # bulkhead-ignore host-network\n    securityContext:');
    assert.deepEqual(ids('p.yaml', text), ['privileged-container']);
  });

  it('# bulkhead-ignore-document covers one YAML document, not the next', () => {
    const text = `# bulkhead-ignore-document privileged-container -- test fixture\n${POD()}---\n${POD()}`;
    const findings = engine.lint('p.yaml', text).findings;
    assert.equal(findings.length, 1);
    assert.equal(findings[0].range.start.line, 19);
  });

  it('# bulkhead-ignore-file covers every document', () => {
    const text = `${POD()}---\n# bulkhead-ignore-file privileged-container, host-network\n${POD('  hostNetwork: true\n')}`;
    assert.deepEqual(ids('p.yaml', text), []);
  });

  it('honours trivy comments through references, in old and new id formats', () => {
    assert.deepEqual(ids('p.yaml', POD().replace('      privileged: true', '      # trivy:ignore:KSV017\n      privileged: true')), []);
    assert.deepEqual(ids('p.yaml', POD().replace('      privileged: true', '      # trivy:ignore:KSV-0017\n      privileged: true')), []);
  });
});

describe('annotation suppressions of other tools', () => {
  const annotated = (lines: string) => POD('  hostNetwork: true\n', `  annotations:\n${lines}`);

  it('kube-linter ignore-check', () => {
    assert.deepEqual(ids('p.yaml', annotated('    ignore-check.kube-linter.io/privileged-container: "debug pod"\n')), ['host-network']);
  });

  it('kube-linter ignore-all hides rules with a kube-linter equivalent', () => {
    assert.deepEqual(ids('p.yaml', annotated('    kube-linter.io/ignore-all: "legacy"\n')), []);
  });

  it('checkov skip with a reason', () => {
    assert.deepEqual(ids('p.yaml', annotated('    checkov.io/skip1: CKV_K8S_19=needs host network\n')), ['privileged-container']);
  });

  it('annotations of one object do not hide findings of another', () => {
    const text = `${annotated('    checkov.io/skip1: CKV_K8S_16\n')}---\n${POD()}`;
    assert.deepEqual(ids('p.yaml', text), ['host-network', 'privileged-container']);
  });
});

describe('Dockerfile suppressions', () => {
  it('# hadolint ignore=DL3002 covers the next instruction', () => {
    assert.deepEqual(ids('Dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3002\nUSER root\n'), []);
    assert.deepEqual(ids('Dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3008\nUSER root\n'), ['dockerfile-runs-as-root']);
  });

  it('# hadolint global ignore and BuildKit # check=skip cover the file', () => {
    assert.deepEqual(ids('Dockerfile', '# hadolint global ignore=DL3002\nFROM alpine:3.20\nUSER root\n'), []);
  });

  it('#checkov:skip= in a Dockerfile covers the file, for that check only', () => {
    assert.deepEqual(ids('Dockerfile', 'FROM alpine:3.20\n#checkov:skip=CKV_DOCKER_3: the entrypoint drops privileges\nCMD ["sh"]\n'), []);
    assert.deepEqual(ids('Dockerfile', 'FROM alpine:3.20\n#checkov:skip=CKV_DOCKER_2\nCMD ["sh"]\n'), ['dockerfile-runs-as-root']);
  });

  it('# bulkhead-ignore before a multi-line instruction covers all its lines', () => {
    assert.deepEqual(ids('Dockerfile', 'FROM alpine:3.20\n# bulkhead-ignore dockerfile-runs-as-root -- entrypoint drops to uid 1000\nUSER \\\n  root\n'), []);
  });
});

describe('Trivy id spellings', () => {
  it('every spelling Trivy uses names the same check', () => {
    for (const spelling of ['KSV-0017', 'KSV017', 'AVD-KSV-0017', 'ksv-17', 'avd-ksv-0017']) assert.equal(normalizeCheckId(spelling), 'KSV17', spelling);
    assert.equal(normalizeCheckId('AVD-DS-0002'), normalizeCheckId('DS002'));
  });

  it('suppresses through each spelling in a trivy:ignore comment', () => {
    for (const id of ['KSV-0017', 'KSV017', 'AVD-KSV-0017']) {
      assert.deepEqual(ids('p.yaml', POD().replace('      privileged: true', `      # trivy:ignore:${id}\n      privileged: true`)), [], id);
    }
  });
});

describe('reference spelling', () => {
  it('every Trivy reference is written as Trivy writes its ids today (KSV-0017, DS-0002, KCV-0093)', () => {
    const wrong = ALL_RULES.flatMap((r) =>
      r.references.filter((ref) => ref.startsWith('trivy:') && !/^trivy:(KSV|DS|KCV)-\d{4}$/.test(ref)).map((ref) => `${r.id}: ${ref}`),
    );
    assert.deepEqual(wrong, [], 'run scripts/normalizeTrivyIds.sh');
  });
});
