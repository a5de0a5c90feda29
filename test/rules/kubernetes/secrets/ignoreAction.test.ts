/**
 * Every secret finding is offered an "ignore with a reason" action: the comment it writes asks why the
 * value is not a live credential, and once written it silences the finding (and only that one).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../../../rules';
import { BulkheadLanguageService } from '../../../../server/src/service/languageService';
import { ConfigResolver } from '../../../../server/src/service/configResolver';
import { WorkspaceIndex } from '../../../../server/src/engine/workspaceIndex';
import { applyLspEdits, LspEdit } from '../../../support/lspEdits';
import { DB_PASSWORD, GITHUB_TOKEN } from './fixtures';

const doc = (text: string, version = 1) => ({ uri: 'untitled:deploy.yaml', languageId: 'yaml', version, getText: () => text });

describe('ignoring a secret finding', () => {
  const s = new BulkheadLanguageService(new ConfigResolver(ALL_RULES), new WorkspaceIndex());
  const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${DB_PASSWORD}\n  token: ${GITHUB_TOKEN}\n`;

  it('offers "here" and "in this file" with a reason to fill in; the comment silences the finding', () => {
    const diags = s.lint(doc(text)).diagnostics.filter((d) => d.code === 'secret-object-committed');
    assert.equal(diags.length, 2);
    const actions = s.codeActions(doc(text), diags[0].range);
    const here = actions.find((a) => a.title === 'Ignore "secret-object-committed" here, with a reason');
    assert.ok(actions.some((a) => a.title === 'Ignore "secret-object-committed" in this file, with a reason'));
    assert.ok(here, actions.map((a) => a.title).join(' | '));
    const ignored = applyLspEdits(text, here.edit!.changes!['untitled:deploy.yaml'] as LspEdit[]);
    assert.equal(ignored, text.replace('  password:', '  # bulkhead-ignore secret-object-committed -- <why this is not a live credential>\n  password:'));
    const after = s.lint(doc(ignored, 2)).diagnostics.filter((d) => d.code === 'secret-object-committed');
    assert.deepEqual(
      after.map((d) => d.range.start.line),
      [7],
      'only the token on the next key is still reported',
    );
  });

  it('the Dockerfile secret rules ask for a reason too, above the instruction', () => {
    const text = 'FROM alpine:3.20\nRUN curl -u deploy:Vr8Lq2Xz9Wm4Tn https://repo.internal/a.tgz\nUSER 10001\n';
    const d = { uri: 'untitled:Dockerfile', languageId: 'dockerfile', version: 1, getText: () => text };
    const diag = s.lint(d).diagnostics.find((x) => x.code === 'dockerfile-secret-in-run')!;
    const here = s.codeActions(d, diag.range).find((a) => a.title === 'Ignore "dockerfile-secret-in-run" here, with a reason')!;
    const ignored = applyLspEdits(text, here.edit!.changes!['untitled:Dockerfile'] as LspEdit[]);
    assert.equal(ignored, text.replace('RUN', '# bulkhead-ignore dockerfile-secret-in-run -- <why this is not a live credential>\nRUN'));
    const again = { ...d, version: 2, getText: () => ignored };
    assert.ok(!s.lint(again).diagnostics.some((x) => x.code === 'dockerfile-secret-in-run'));
  });

  it('other rules keep their plain ignore action', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: "c:1"}]\n';
    const diag = s.lint(doc(pod)).diagnostics.find((d) => d.code === 'host-network')!;
    assert.ok(s.codeActions(doc(pod), diag.range).some((a) => a.title === 'Ignore "host-network" here'));
  });
});
