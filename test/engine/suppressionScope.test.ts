/**
 * How far each suppression form reaches. A suppression must never reach backwards past the
 * instruction or line it sits on, and text that only looks like a comment (a `#` in a YAML string
 * or block scalar, in a Dockerfile continuation or heredoc body) suppresses nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { dockerfileCheckDirective, parseBuildkitCheck } from '../../server/src/engine/suppressions';
import { ALL_RULES } from '../../rules';

// dockerfile-runs-as-root is left out: it would fire on every FROM of these small files.
const RULES = new Set(['dockerfile-secret-in-arg-env', 'dockerfile-sudo', 'dockerfile-shell-form-cmd', 'privileged-container', 'host-network']);
const engine = new Engine(
  new ResolvedConfig(
    ALL_RULES.filter((r) => RULES.has(r.id)),
    {},
    'all',
  ),
);
/** `rule@line` (0-based) of each finding. */
const found = (path: string, text: string) => engine.lint(path, text).findings.map((f) => `${f.ruleId}@${f.range.start.line}`);
const SECRET = 'dockerfile-secret-in-arg-env';

describe('BuildKit # check=skip', () => {
  it('a check comment after the instruction does not reach back to it', () => {
    assert.deepEqual(found('Dockerfile', 'FROM alpine:3.20\nENV DB_PASSWORD=x\n# check=skip=SecretsUsedInArgOrEnv\n'), [`${SECRET}@1`]);
    assert.deepEqual(found('Dockerfile', 'FROM alpine:3.20\nENV DB_PASSWORD=x\n# check=skip=all\nUSER 1000\n'), [`${SECRET}@1`]);
  });

  it('in the parser-directive block it covers the whole file', () => {
    assert.deepEqual(found('Dockerfile', '# check=skip=SecretsUsedInArgOrEnv\nFROM alpine:3.20\nENV DB_PASSWORD=x\nENV API_TOKEN=Zq8vN2xLp4\n'), []);
    assert.deepEqual(
      found(
        'Dockerfile',
        '# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended,SecretsUsedInArgOrEnv;error=true\n\nFROM alpine:3.20\nENV DB_PASSWORD=x\nCMD echo hi\n',
      ),
      [],
    );
    assert.deepEqual(found('Dockerfile', '\uFEFF#!/usr/bin/env dockerfile\n#CHECK = skip = SecretsUsedInArgOrEnv\nFROM alpine:3.20\nENV DB_PASSWORD=x\n'), []);
  });

  it('skip=all covers the rules that have a BuildKit check, and only those', () => {
    assert.deepEqual(found('Dockerfile', '# check=skip=all\nFROM alpine:3.20\nENV DB_PASSWORD=x\nCMD echo hi\nRUN sudo true\n'), ['dockerfile-sudo@4']);
  });

  it('is not a directive after a plain comment, a blank line, or indented: then it covers the next instruction only', () => {
    for (const head of [
      '# my image\n# check=skip=SecretsUsedInArgOrEnv\n',
      '\n# check=skip=SecretsUsedInArgOrEnv\n',
      '  # check=skip=SecretsUsedInArgOrEnv\n',
    ]) {
      const lines = head.split('\n').length - 1;
      assert.deepEqual(found('Dockerfile', `${head}FROM alpine:3.20\nENV DB_PASSWORD=x\n`), [`${SECRET}@${lines + 1}`], JSON.stringify(head));
    }
  });

  it('mid-file, it covers the one instruction below it', () => {
    const text = 'FROM alpine:3.20\n# placeholder, build stage only\n# check=skip=SecretsUsedInArgOrEnv\nENV DB_PASSWORD=x\nENV API_TOKEN=Zq8vN2xLp4\n';
    assert.deepEqual(found('Dockerfile', text), [`${SECRET}@4`]);
  });

  it('mid-file, a blank line detaches it from the instruction, as BuildKit reads comments', () => {
    const text = 'FROM alpine:3.20\n# check=skip=SecretsUsedInArgOrEnv\n\nENV DB_PASSWORD=x\n';
    assert.deepEqual(found('Dockerfile', text), [`${SECRET}@3`]);
  });

  it('a second check directive is an error in BuildKit and skips nothing file-wide', () => {
    const text = '# check=error=true\n# check=skip=SecretsUsedInArgOrEnv\nFROM alpine:3.20\nENV DB_PASSWORD=x\n';
    assert.deepEqual(found('Dockerfile', text), [`${SECRET}@3`]);
  });

  it('names are case-sensitive and a malformed value skips nothing, as in BuildKit', () => {
    assert.deepEqual(found('Dockerfile', '# check=skip=secretsusedinargorenv\nFROM alpine:3.20\nENV DB_PASSWORD=x\n'), [`${SECRET}@2`]);
    assert.deepEqual(found('Dockerfile', '# check=skip=SecretsUsedInArgOrEnv;loud=true\nFROM alpine:3.20\nENV DB_PASSWORD=x\n'), [`${SECRET}@2`]);
    assert.deepEqual(found('Dockerfile', '# check=skip=SecretsUsedInArgOrEnv;error=maybe\nFROM alpine:3.20\nENV DB_PASSWORD=x\n'), [`${SECRET}@2`]);
  });

  it('reads the directive block as BuildKit does', () => {
    assert.deepEqual(dockerfileCheckDirective(['# syntax=docker/dockerfile:1', '# check=skip=A', 'FROM x']), { line: 1, value: 'skip=A' });
    assert.equal(dockerfileCheckDirective(['# foo=bar', '# check=skip=A']), undefined, 'an unknown key ends the block');
    assert.equal(dockerfileCheckDirective(['FROM x', '# check=skip=A']), undefined);
    assert.deepEqual(parseBuildkitCheck(' skip = A , B ;error=true'), { tokens: ['A', 'B'], tool: 'buildkit', exact: true });
    assert.equal(parseBuildkitCheck('error=true'), undefined);
    assert.equal(parseBuildkitCheck('skip'), undefined);
  });
});

describe('Dockerfile next-instruction suppressions', () => {
  it('hadolint ignore covers the next instruction and no other', () => {
    const text = 'FROM alpine:3.20\n# hadolint ignore=DL3004\nRUN sudo true\nRUN sudo false\n';
    assert.deepEqual(found('Dockerfile', text), ['dockerfile-sudo@3']);
  });

  it('hadolint ignore covers the line right after it only, parsed as hadolint parses it', () => {
    assert.deepEqual(found('Dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3004\n\nRUN sudo true\n'), ['dockerfile-sudo@3'], 'a blank line in between');
    assert.deepEqual(
      found('Dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3004\n# install tools\nRUN sudo true\n'),
      ['dockerfile-sudo@3'],
      'another comment in between',
    );
    assert.deepEqual(found('Dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3008 , DL3004 # base has no gosu\nRUN sudo true\n'), []);
    assert.deepEqual(
      found('Dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3004 because reasons\nRUN sudo true\n'),
      ['dockerfile-sudo@2'],
      'hadolint rejects words after the codes',
    );
    assert.deepEqual(
      found('Dockerfile', 'FROM alpine:3.20\n# bulkhead-ignore dockerfile-secret-in-arg-env\n# hadolint ignore=DL3004\nRUN sudo true\n'),
      [],
      'stacked under another suppression',
    );
  });

  it('hadolint ignore covers every line of a multi-line instruction', () => {
    const text = 'FROM alpine:3.20\n# hadolint ignore=DL3004\nRUN echo a && \\\n    sudo true\nRUN sudo false\n';
    assert.deepEqual(found('Dockerfile', text), ['dockerfile-sudo@4']);
  });

  it('a comment line inside a continuation is not a suppression (Docker drops it from the command)', () => {
    const text = 'FROM alpine:3.20\nRUN echo a && \\\n# hadolint ignore=DL3004\n    sudo true\n';
    assert.deepEqual(found('Dockerfile', text), ['dockerfile-sudo@3']);
    const own = 'FROM alpine:3.20\nRUN echo a && \\\n  # bulkhead-ignore dockerfile-sudo\n    sudo true\n';
    assert.deepEqual(found('Dockerfile', own), ['dockerfile-sudo@3']);
  });

  it('heredoc bodies are script, not suppressions', () => {
    const text =
      'FROM alpine:3.20\nRUN <<EOF\n# bulkhead-ignore-file dockerfile-sudo, dockerfile-secret-in-arg-env\n# hadolint global ignore=DL3004\nsudo true\nEOF\nENV DB_PASSWORD=x\n';
    assert.deepEqual(found('Dockerfile', text), ['dockerfile-sudo@4', `${SECRET}@6`]);
  });

  it('a suppression inside an instruction argument never covers the file', () => {
    const text = 'FROM alpine:3.20\nRUN echo "# bulkhead-ignore-file dockerfile-sudo -- a string"\nRUN sudo true\n';
    assert.deepEqual(found('Dockerfile', text), ['dockerfile-sudo@2']);
  });

  it('trivy:ignore and bulkhead-ignore above an instruction cover it only', () => {
    const text = 'FROM alpine:3.20\n# trivy:ignore:AVD-DS-0031\nENV DB_PASSWORD=x\nENV API_TOKEN=Zq8vN2xLp4\n';
    assert.deepEqual(found('Dockerfile', text), [`${SECRET}@3`]);
    const own = 'FROM alpine:3.20\n# bulkhead-ignore dockerfile-secret-in-arg-env -- build-only placeholder\nENV DB_PASSWORD=x\nENV API_TOKEN=Zq8vN2xLp4\n';
    assert.deepEqual(found('Dockerfile', own), [`${SECRET}@3`]);
  });

  it('file-wide forms stay file-wide wherever they sit, as their tools define them', () => {
    assert.deepEqual(found('Dockerfile', 'FROM alpine:3.20\nRUN sudo true\n# hadolint global ignore=DL3004\n'), []);
    assert.deepEqual(found('Dockerfile', 'FROM alpine:3.20\nRUN sudo true\n# bulkhead-ignore-file dockerfile-sudo -- base image has no sudo\n'), []);
    assert.deepEqual(found('Dockerfile', 'FROM alpine:3.20\nRUN sudo true\n#checkov:skip=CKV2_DOCKER_1: base image has no sudo\n'), []);
  });
});

describe('YAML comment suppressions', () => {
  const pod = (metadataExtra: string, privilegedLine = '      privileged: true') =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${metadataExtra}spec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n${privilegedLine}\n`;

  it('a suppression inside a block scalar is content, not a comment', () => {
    const text = pod(
      '  annotations:\n    notes: |\n      # bulkhead-ignore-file privileged-container\n      # bulkhead-ignore-document privileged-container\n',
    );
    assert.deepEqual(found('p.yaml', text), ['privileged-container@13']);
  });

  it('a suppression inside a quoted string is content, not a comment', () => {
    const text = pod('  annotations:\n    notes: "see # bulkhead-ignore-file privileged-container -- a string"\n');
    assert.deepEqual(found('p.yaml', text), ['privileged-container@11']);
    const trailing = pod('', '      privileged: true\n      seLinuxOptions: {type: "x # bulkhead-ignore privileged-container -- a string"}');
    assert.deepEqual(found('p.yaml', trailing), ['privileged-container@9']);
  });

  it('a real comment still suppresses', () => {
    assert.deepEqual(found('p.yaml', pod('', '      privileged: true # bulkhead-ignore privileged-container -- debug pod')), []);
    assert.deepEqual(found('p.yaml', `# bulkhead-ignore-file privileged-container\n${pod('')}`), []);
  });

  it('Kubescape has no inline form: its control ids work as full references in either spelling', () => {
    for (const id of ['kubescape:C-0057', 'kubescape:C-57']) {
      assert.deepEqual(found('p.yaml', pod('', `      # bulkhead-ignore ${id} -- debug pod\n      privileged: true`)), [], id);
    }
  });

  it('a next-line suppression covers one line', () => {
    const text = pod('', '      # trivy:ignore:KSV-0017\n      privileged: true').replace('spec:\n', 'spec:\n  hostNetwork: true\n');
    assert.deepEqual(found('p.yaml', text), ['host-network@5']);
  });
});

describe('annotation suppressions stay on their object', () => {
  const pod = (name: string, annotations: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${annotations}spec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n`;

  for (const [tool, annotation] of [
    ['kube-linter', '    ignore-check.kube-linter.io/privileged-container: "debug"\n'],
    ['checkov', '    checkov.io/skip1: CKV_K8S_16=debug\n'],
    ['polaris', '    polaris.fairwinds.com/privilegeEscalationAllowed-exempt: "true"\n    polaris.fairwinds.com/runAsPrivileged-exempt: "true"\n'],
    ['kube-score', '    kube-score/ignore: container-security-context-privileged\n'],
  ]) {
    it(`${tool}: the annotated object only`, () => {
      const text = `${pod('a', `  annotations:\n${annotation}`)}---\n${pod('b', '')}`;
      const lines = found('p.yaml', text);
      assert.equal(lines.length, 1, `${tool}: ${lines.join(' ')}`);
      assert.match(lines[0], /^privileged-container@(\d+)$/);
      assert.ok(Number(lines[0].split('@')[1]) > text.split('---')[0].split('\n').length - 1);
    });
  }
});
