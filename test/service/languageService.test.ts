/** The language service without any transport: what the server publishes and offers. */
import { SPINE_RULES } from '../support/rules';
import assert from 'node:assert/strict';
import { ALL_RULES } from '../../rules';
import { describe, it } from 'node:test';
import { BulkheadLanguageService, FIX_ALL_KIND, SKIPPED_CODE } from '../../server/src/service/languageService';
import { ConfigResolver, mergeConfigs } from '../../server/src/service/configResolver';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { applyLspEdits, LspEdit } from '../support/lspEdits';

function service(settings = {}): BulkheadLanguageService {
  const resolver = new ConfigResolver(SPINE_RULES);
  resolver.setSettings(settings);
  return new BulkheadLanguageService(resolver, new WorkspaceIndex());
}

function doc(text: string, uri = 'untitled:Untitled-1', languageId = 'yaml', version = 1) {
  return { uri, languageId, version, getText: () => text };
}

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccount: a\n  containers:\n  - name: c\n    securityContext: {privileged: true}\n  - name: d\n    securityContext: {privileged: true}\n';

describe('language service', () => {
  it('lints untitled YAML by content, and Dockerfiles by language id', () => {
    const s = service();
    assert.deepEqual(
      s.lint(doc(POD)).diagnostics.map((d) => d.code),
      ['deprecated-service-account-field', 'privileged-container', 'privileged-container'],
    );
    assert.deepEqual(
      s.lint(doc('FROM alpine:3.20\n', 'untitled:Untitled-2', 'dockerfile')).diagnostics.map((d) => d.code),
      ['dockerfile-runs-as-root'],
    );
  });

  it('keeps positions right when the editor text still has a BOM', () => {
    const s = service();
    const text = '\ufeffapiVersion: v1\nkind: Pod\nspec: {hostPID: true, containers: []}\n';
    const [d] = s.lint(doc(text)).diagnostics;
    assert.deepEqual(d.range.start, { line: 2, character: 7 });
    const bomFirstLine = '\ufeff{apiVersion: v1, kind: Pod, spec: {hostPID: true, containers: []}}\n';
    const [first] = s.lint(doc(bomFirstLine, 'untitled:b')).diagnostics;
    assert.equal(bomFirstLine.slice(first.range.start.character, first.range.end.character), 'hostPID: true');
  });

  it('gives binary content one information diagnostic instead of findings', () => {
    const [d] = service().lint(doc('apiVersion: v1\u0000\u0001')).diagnostics;
    assert.equal(d.code, SKIPPED_CODE);
    assert.equal(d.severity, 3);
  });

  it('offers fix-all for a rule with several findings, and source.fixAll for safe fixes only', () => {
    const s = service();
    const d = doc(POD);
    const actions = s.codeActions(d, { start: { line: 7, character: 22 }, end: { line: 7, character: 22 } });
    const all = actions.find((a) => a.title === 'Fix all 2 "privileged-container" problems in this file');
    assert.ok(all, actions.map((a) => a.title).join('\n'));
    const fixed = applyLspEdits(POD, all.edit!.changes![d.uri] as LspEdit[]);
    assert.equal((fixed.match(/privileged: false/g) ?? []).length, 2);
    const source = s.codeActions(d, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [FIX_ALL_KIND]);
    assert.equal(source.length, 1);
    const safe = applyLspEdits(POD, source[0].edit!.changes![d.uri] as LspEdit[]);
    assert.match(safe, /serviceAccountName: a/);
    assert.match(safe, /privileged: true/, 'unsafe fixes are not part of fix-all on save');
  });

  it('puts "ignore here" above the first line of a multi-line Dockerfile instruction, and "ignore in file" after parser directives', () => {
    const s = service();
    const text = '# syntax=docker/dockerfile:1\nFROM alpine:3.20 \\\n  AS final\nRUN true\n';
    const d = doc(text, 'untitled:Dockerfile', 'dockerfile');
    const [diag] = s.lint(d).diagnostics;
    const actions = s.codeActions(d, diag.range);
    const here = actions.find((a) => a.title.startsWith('Ignore "dockerfile-runs-as-root" here'))!;
    assert.equal(
      applyLspEdits(text, here.edit!.changes![d.uri] as LspEdit[]),
      '# syntax=docker/dockerfile:1\n# bulkhead-ignore dockerfile-runs-as-root\nFROM alpine:3.20 \\\n  AS final\nRUN true\n',
    );
    const file = actions.find((a) => a.title.endsWith('in this file'))!;
    assert.equal(
      applyLspEdits(text, file.edit!.changes![d.uri] as LspEdit[]),
      '# syntax=docker/dockerfile:1\n# bulkhead-ignore-file dockerfile-runs-as-root\nFROM alpine:3.20 \\\n  AS final\nRUN true\n',
    );
  });

  it('puts "ignore here" above the instruction when the finding is after a comment line of a continuation or in a heredoc, and it then suppresses', () => {
    const resolver = new ConfigResolver(ALL_RULES.filter((r) => r.id === 'dockerfile-sudo'));
    const s = new BulkheadLanguageService(resolver, new WorkspaceIndex());
    for (const text of ['FROM alpine:3.20\nRUN echo a && \\\n# why\n    sudo true\n', 'FROM alpine:3.20\nRUN <<EOF\necho a\nsudo true\nEOF\n']) {
      const d = doc(text, 'untitled:Dockerfile', 'dockerfile');
      const [diag] = s.lint(d).diagnostics;
      assert.ok(diag, text);
      const here = s.codeActions(d, diag.range).find((a) => a.title.startsWith('Ignore "dockerfile-sudo" here'))!;
      const ignored = applyLspEdits(text, here.edit!.changes![d.uri] as LspEdit[]);
      assert.equal(ignored, text.replace('RUN ', '# bulkhead-ignore dockerfile-sudo\nRUN '));
      assert.deepEqual(s.lint(doc(ignored, 'untitled:Dockerfile', 'dockerfile', 2)).diagnostics, []);
    }
  });

  it('settings apply, and a project file wins key by key', () => {
    assert.deepEqual(
      service({ rules: { 'privileged-container': 'off' } })
        .lint(doc(POD))
        .diagnostics.map((d) => d.code),
      ['deprecated-service-account-field'],
    );
    assert.deepEqual(mergeConfigs({ profile: 'all', rules: { a: 'off', b: 'error' } }, { rules: { b: 'warning' } }), {
      profile: 'all',
      rules: { a: 'off', b: 'warning' },
      exclude: undefined,
      settings: {},
    });
  });

  it('reports invalid settings and falls back to defaults', () => {
    const resolver = new ConfigResolver();
    resolver.setSettings({ profile: 'everything' });
    assert.match(resolver.problems.get('settings')!.message, /profile must be one of/);
  });
});

describe('language service with the full rule set', () => {
  it('offers "Harden this workload" once even when several findings share the cursor', () => {
    const resolver = new ConfigResolver();
    resolver.setSettings({ profile: 'pss-restricted' });
    const s = new BulkheadLanguageService(resolver, new WorkspaceIndex());
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n';
    const d = doc(text, 'untitled:harden');
    const actions = s.codeActions(d, { start: { line: 5, character: 5 }, end: { line: 5, character: 5 } });
    const harden = actions.filter((a) => a.title.startsWith('Harden this workload to PSS restricted'));
    assert.equal(harden.length, 1, actions.map((a) => a.title).join('\n'));
    assert.equal(harden[0].isPreferred, false);
    const hardened = applyLspEdits(text, harden[0].edit!.changes![d.uri] as LspEdit[]);
    assert.deepEqual(s.lint(doc(hardened, 'untitled:harden2')).diagnostics, []);
  });
});

describe('language service: files the editor sends besides YAML and Dockerfiles', () => {
  const full = () => new BulkheadLanguageService(new ConfigResolver(ALL_RULES), new WorkspaceIndex());
  // A synthetic password of a real-looking shape (never issued anywhere).
  const ENV = 'APP_NAME=orders\nDB_PASSWORD=Vq7!rT2#mL9@xK4$\nDB_HOST=db.internal\n';

  it('a .env file opened in the editor gets the secret finding, whatever language id it came with', () => {
    for (const languageId of ['dotenv', 'properties', 'plaintext']) {
      const codes = full()
        .lint(doc(ENV, 'file:///w/app/.env', languageId))
        .diagnostics.map((d) => d.code);
      assert.deepEqual(codes, ['dotenv-secret'], languageId);
    }
  });

  it('a kubeconfig named *.conf is recognised by its content', () => {
    const kubeconfig =
      'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://k.example.com", insecure-skip-tls-verify: true}\nusers: []\ncontexts: []\n';
    const codes = full()
      .lint(doc(kubeconfig, 'file:///w/ops/staging.conf', 'properties'))
      .diagnostics.map((d) => d.code);
    assert.ok(codes.includes('kubeconfig-insecure-skip-tls-verify'), codes.join());
  });
});
