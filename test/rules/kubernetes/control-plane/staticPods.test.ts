/**
 * Workload findings on control-plane static pods (staticPods.ts): inherent ones at info with the
 * reason and no fix, inapplicable ones dropped, no whole-pod "harden" fix; everything else, and
 * every pod that is not a control-plane static pod, as before.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../../../rules';
import { ResolvedConfig } from '../../../../server/src/engine/config';
import { Engine, Finding } from '../../../../server/src/engine/engine';
import { REPO_ROOT } from '../../../support/paths';

const APISERVER = fs.readFileSync(path.join(REPO_ROOT, 'test', 'rules', 'kubernetes', 'control-plane', 'kubeadm-defaults', 'kube-apiserver.yaml'), 'utf8');
const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';

function lint(file: string, text: string): Finding[] {
  const result = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all')).lint(file, text);
  assert.equal(result.internalErrors.length, 0);
  return result.findings;
}

const byRule = (findings: Finding[], id: string) => findings.filter((f) => f.ruleId === id);

describe('control-plane static pods', () => {
  const findings = lint(MANIFEST, APISERVER);

  it('hostNetwork: info, says why, no fix', () => {
    const [f] = byRule(findings, 'host-network');
    assert.equal(f.severity, 'info');
    assert.match(
      f.message,
      /\(Reported as info: kube-apiserver is a control-plane static pod: the kubelet starts it on the node's network before any pod network exists\.\)$/,
    );
    assert.deepEqual(f.fixes, []);
  });

  it('PKI and CA hostPaths: info, no fix (the harden fix would empty the volumes)', () => {
    const paths = [...byRule(findings, 'sensitive-host-path'), ...byRule(findings, 'host-path-volume')];
    assert.ok(paths.length >= 2);
    for (const f of paths) {
      assert.equal(f.severity, 'info');
      assert.deepEqual(f.fixes, []);
      assert.match(f.message, /cannot mount Secrets or ConfigMaps/);
    }
  });

  it('no service account findings: a static pod gets no token', () => {
    assert.deepEqual(byRule(findings, 'automount-service-account-token'), []);
    assert.deepEqual(byRule(findings, 'default-service-account'), []);
  });

  it('no finding offers the whole-pod harden fix; the other findings keep their severity and own fixes', () => {
    for (const f of findings) assert.ok(!f.fixes.some((x) => /^Harden this workload/.test(x.title)), f.ruleId);
    const [root] = byRule(findings, 'may-run-as-root');
    assert.equal(root.severity, 'warning');
    const [escalation] = byRule(findings, 'privilege-escalation-allowed');
    assert.equal(escalation.severity, 'warning');
    assert.deepEqual(
      escalation.fixes.map((x) => x.title),
      ['Set allowPrivilegeEscalation: false'],
    );
  });

  it("running as root: reported, but no fix that changes the user (the node's keys are root's: the API server would not start)", () => {
    const [root] = byRule(findings, 'may-run-as-root');
    assert.deepEqual(root.fixes, []);
    assert.match(root.message, /No fix offered: kube-apiserver reads the node's certificates and keys, which belong to root with mode 0600/);
    // The same pod elsewhere keeps the fix.
    const [moved] = byRule(lint(MANIFEST, APISERVER.replace('namespace: kube-system', 'namespace: tools')), 'may-run-as-root');
    assert.ok(moved.fixes.some((x) => x.title === 'Set runAsNonRoot: true'));
    const withUser = APISERVER.replace('  hostNetwork: true\n', '  hostNetwork: true\n  securityContext:\n    runAsUser: 0\n    runAsGroup: 0\n');
    assert.notEqual(withUser, APISERVER);
    const identity = lint(MANIFEST, withUser).filter((x) => ['runs-as-root-user', 'root-group', 'low-uid', 'may-run-as-root'].includes(x.ruleId));
    assert.ok(identity.some((f) => f.ruleId === 'runs-as-root-user'));
    for (const f of identity) assert.deepEqual(f.fixes, [], f.ruleId);
  });

  it("a hostPath outside the component's folders keeps its severity", () => {
    const text = APISERVER.replace('  volumes:\n', '  volumes:\n  - hostPath:\n      path: /var/run/docker.sock\n    name: docker\n');
    const sock = lint(MANIFEST, text).filter((f) => /docker\.sock/.test(f.message));
    assert.ok(sock.length > 0);
    for (const f of sock) assert.notEqual(f.severity, 'info', f.ruleId);
  });

  it('the same pod outside kube-system, or an nginx pod in manifests/: not a control-plane static pod', () => {
    const [moved] = byRule(lint(MANIFEST, APISERVER.replace('namespace: kube-system', 'namespace: tools')), 'host-network');
    assert.equal(moved.severity, 'error');
    assert.ok(moved.fixes.length > 0);
    const nginx =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: proxy\n  namespace: kube-system\nspec:\n  hostNetwork: true\n  containers:\n  - name: nginx\n    image: nginx:1.27\n';
    assert.equal(byRule(lint('etc/kubernetes/manifests/proxy.yaml', nginx), 'host-network')[0].severity, 'error');
  });

  it("recognised by kubeadm's tier label outside a manifests/ folder", () => {
    assert.equal(byRule(lint('cluster/apiserver.yaml', APISERVER), 'host-network')[0].severity, 'info');
    const unlabelled = APISERVER.replace('    tier: control-plane\n', '');
    assert.equal(byRule(lint('cluster/apiserver.yaml', unlabelled), 'host-network')[0].severity, 'error');
  });
});
