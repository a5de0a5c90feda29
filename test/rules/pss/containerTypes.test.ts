/**
 * Every container-level PSS check, in each container type (containers, initContainers,
 * ephemeralContainers), violated and satisfied, and the pod-level settings containers inherit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintWith } from '../../../rules/tester';
import { PSS_RULES } from '../../../rules/kubernetes/pss';

const TYPES = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** rule id → [violating container fields, compliant container fields] (flow YAML inside `{name: x, ...}`). */
const CONTAINER_CASES: Record<string, [string, string]> = {
  'privileged-container': ['securityContext: {privileged: true}', 'securityContext: {privileged: false}'],
  'disallowed-capabilities': ['securityContext: {capabilities: {add: [SYS_ADMIN]}}', 'securityContext: {capabilities: {add: [CHOWN]}}'],
  'host-port': ['ports: [{containerPort: 80, hostPort: 80}]', 'ports: [{containerPort: 80}]'],
  'apparmor-unconfined': ['securityContext: {appArmorProfile: {type: Unconfined}}', 'securityContext: {appArmorProfile: {type: RuntimeDefault}}'],
  'selinux-custom-options': ['securityContext: {seLinuxOptions: {type: spc_t}}', 'securityContext: {seLinuxOptions: {type: container_t}}'],
  'unmasked-proc-mount': ['securityContext: {procMount: Unmasked}', 'securityContext: {procMount: Default}'],
  'seccomp-unconfined': ['securityContext: {seccompProfile: {type: Unconfined}}', 'securityContext: {seccompProfile: {type: RuntimeDefault}}'],
  'windows-host-process': ['securityContext: {windowsOptions: {hostProcess: true}}', 'securityContext: {windowsOptions: {hostProcess: false}}'],
  'host-probe-or-lifecycle': ['readinessProbe: {tcpSocket: {host: 10.0.0.1, port: 80}}', 'readinessProbe: {tcpSocket: {port: 80}}'],
  'privilege-escalation-allowed': ['securityContext: {allowPrivilegeEscalation: true}', 'securityContext: {allowPrivilegeEscalation: false}'],
  'runs-as-root-user': ['securityContext: {runAsUser: 0}', 'securityContext: {runAsUser: 1000}'],
  'capabilities-not-dropped': ['securityContext: {capabilities: {drop: [NET_RAW]}}', 'securityContext: {capabilities: {drop: [ALL]}}'],
  'capabilities-added-restricted': [
    'securityContext: {capabilities: {drop: [ALL], add: [SETUID]}}',
    'securityContext: {capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}',
  ],
};

/** Compliant values for the other container types, so only the container under test can fire. */
const COMPLIANT_REST =
  'securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}';

function podWith(type: string, fields: string): string {
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:'];
  for (const t of TYPES) {
    lines.push(`  ${t}:`);
    lines.push(`  - {name: ${t}-x, ${t === type ? fields : COMPLIANT_REST}}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('PSS container-level checks in every container type', () => {
  for (const [id, [bad, good]] of Object.entries(CONTAINER_CASES)) {
    const rule = PSS_RULES.find((r) => r.id === id)!;
    for (const type of TYPES) {
      it(`${id}: fires for ${type}`, () => {
        const findings = lintWith(rule, { code: podWith(type, bad) }).filter((f) => f.ruleId === id);
        assert.equal(findings.length, 1, `${podWith(type, bad)}`);
        assert.equal(findings[0].range.start.line, 4 + TYPES.indexOf(type) * 2 + 1);
      });
      it(`${id}: quiet for ${type} when compliant`, () => {
        assert.deepEqual(
          lintWith(rule, { code: podWith(type, good) }).filter((f) => f.ruleId === id),
          [],
        );
      });
    }
  }
});

describe('pod-level settings inherited by every container', () => {
  const mayRunAsRoot = PSS_RULES.find((r) => r.id === 'may-run-as-root')!;
  const seccomp = PSS_RULES.find((r) => r.id === 'missing-seccomp-profile')!;
  const seccompUnconfined = PSS_RULES.find((r) => r.id === 'seccomp-unconfined')!;
  const pod = (podSc: string, containerSc = '') =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {${podSc}}\n${TYPES.map((t) => `  ${t}: [{name: ${t}-x${containerSc ? `, securityContext: {${containerSc}}` : ''}}]`).join('\n')}\n`;

  it('runAsNonRoot: true at pod level covers all container types', () =>
    assert.deepEqual(
      lintWith(mayRunAsRoot, { code: pod('runAsNonRoot: true') }).filter((f) => f.ruleId === 'may-run-as-root'),
      [],
    ));
  it('a container-level false overrides the pod', () =>
    assert.equal(lintWith(mayRunAsRoot, { code: pod('runAsNonRoot: true', 'runAsNonRoot: false') }).filter((f) => f.ruleId === 'may-run-as-root').length, 3));
  it('seccomp RuntimeDefault at pod level covers all container types', () =>
    assert.deepEqual(
      lintWith(seccomp, { code: pod('seccompProfile: {type: RuntimeDefault}') }).filter((f) => f.ruleId === 'missing-seccomp-profile'),
      [],
    ));
  it('without it, one finding names every container', () => {
    const [f] = lintWith(seccomp, { code: pod('fsGroup: 1') }).filter((x) => x.ruleId === 'missing-seccomp-profile');
    assert.match(f.message, /container "containers-x", init container "initContainers-x", ephemeral container "ephemeralContainers-x"/);
  });
  it('Unconfined at pod level is the baseline finding, once', () =>
    assert.equal(lintWith(seccompUnconfined, { code: pod('seccompProfile: {type: Unconfined}') }).filter((f) => f.ruleId === 'seccomp-unconfined').length, 1));
});
