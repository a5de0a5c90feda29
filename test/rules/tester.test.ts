/** The rule tester must reject a fix that breaks the file: a syntax error or a duplicate key. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesRule } from '../../server/src/engine/rule';
import { checkAllFixes } from '../../rules/tester';
import { hostNetwork } from '../../rules/kubernetes/hostNamespaces';

/** host-network, but with a fix that writes `newText` over `hostNetwork: true`. */
function withFix(newText: string): KubernetesRule {
  const rule = hostNetwork as KubernetesRule;
  return {
    ...rule,
    check(ctx) {
      rule.check({
        ...ctx,
        report: (r) => {
          const start = ctx.text.indexOf('hostNetwork: true');
          ctx.report({
            ...r,
            fixes: [{ title: 'test fix', applicability: 'safe', edits: () => [{ start, end: start + 'hostNetwork: true'.length, newText }] }],
          });
        },
      });
    },
  };
}

const code = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c}]\n  hostNetwork: true\n';

describe('rule tester', () => {
  it('accepts a fix that parses and removes the finding', () => {
    assert.equal(checkAllFixes(withFix('hostNetwork: false'), { code }), 1);
  });
  it('rejects a fix that leaves a duplicate key', () => {
    assert.throws(() => checkAllFixes(withFix('hostNetwork: false\n  containers: []'), { code }), /duplicate key/);
  });
  it('rejects a fix that leaves a syntax error', () => {
    assert.throws(() => checkAllFixes(withFix('hostNetwork: [false'), { code }), /does not parse/);
  });
});
