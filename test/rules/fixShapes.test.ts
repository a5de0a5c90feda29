/**
 * Fixes that insert structure, on the shapes that used to break the file: a key that is there with
 * no value (`securityContext:`, `capabilities:`, `drop: null`, `drop: []`, `{}`), at the very end
 * of a file without a final newline, with CRLF. "Harden this workload" used to add a second
 * `securityContext` or `drop` next to the empty one, a duplicate key kubectl rejects. Every fix of
 * every finding is applied and the result re-linted (see rules/tester.ts: it must parse, have no
 * duplicate key, and lose the finding).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOCKERFILE_RULES } from '../../rules/dockerfile';
import { KUBERNETES_RULES } from '../../rules/kubernetes';
import { checkAllFixes } from '../../rules/tester';

/** Container `securityContext` values, as written after `securityContext:`. */
const CONTAINER_SC = [
  '',
  ' null',
  ' ~',
  ' {}',
  '\n      capabilities:',
  '\n      capabilities: null',
  '\n      capabilities: {}',
  '\n      capabilities:\n        drop: null',
  '\n      capabilities:\n        drop:',
  '\n      capabilities:\n        drop: []',
  '\n      capabilities: {drop: null}',
  '\n      capabilities: {drop: []}',
  '\n      capabilities:\n        drop: [NET_RAW]\n        add:',
  '\n      allowPrivilegeEscalation:',
  '\n      allowPrivilegeEscalation: null',
  '\n      runAsNonRoot:',
  '\n      runAsUser:',
  '\n      seccompProfile:',
  '\n      seccompProfile:\n        type:',
  '\n      seccompProfile: {}',
  '\n      privileged: true\n      capabilities:',
];

/** Pod `securityContext` values. */
/** Other keys fixes set, empty or null, last in the pod spec. */
const POD_KEYS = ['automountServiceAccountToken:', 'automountServiceAccountToken: null', 'hostNetwork:', 'serviceAccount: x\n  serviceAccountName:'];

const POD_SC = [
  '',
  ' null',
  ' {}',
  '\n    seccompProfile:',
  '\n    seccompProfile:\n      type:',
  '\n    seccompProfile: null',
  '\n    runAsNonRoot:',
  '\n    runAsNonRoot: null',
];

function pods(): { name: string; code: string }[] {
  const out: { name: string; code: string }[] = [];
  const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n';
  for (const sc of CONTAINER_SC) {
    // The container's securityContext last in the file (end-of-file shapes), then followed by more.
    out.push({
      name: `container securityContext:${sc}`,
      code: `${head}  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:${sc.replace(/\n      /g, '\n      ')}\n`,
    });
    out.push({
      name: `container securityContext:${sc}, then hostNetwork`,
      code: `${head}  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:${sc}\n  hostNetwork: true\n`,
    });
  }
  for (const sc of POD_SC) {
    out.push({ name: `pod securityContext:${sc}`, code: `${head}  containers: [{name: c, image: "nginx:1.27"}]\n  securityContext:${sc}\n` });
  }
  for (const key of POD_KEYS) {
    out.push({
      name: `pod ${key}`,
      code: `${head}  containers: [{name: c, image: "nginx:1.27", securityContext: {readOnlyRootFilesystem: null}}]\n  ${key}\n`,
    });
  }
  return endShapes(out);
}

/** Every shape also without its final newline and with CRLF line breaks. */
function endShapes(out: { name: string; code: string }[]): { name: string; code: string }[] {
  return out.flatMap((c) => [
    c,
    { name: `${c.name} (no final newline)`, code: c.code.replace(/\n$/, '') },
    { name: `${c.name} (CRLF)`, code: c.code.replace(/\n/g, '\r\n') },
    { name: `${c.name} (CRLF, no final newline)`, code: c.code.replace(/\n$/, '').replace(/\n/g, '\r\n') },
  ]);
}

/**
 * A Dockerfile most Dockerfile fixes apply to, ending in each way that can swallow a line appended
 * at the end: a continuation and a comment, a heredoc never closed, no final newline.
 */
function dockerfiles(): { name: string; code: string }[] {
  const body = [
    'FROM node:22',
    'ARG NPM_TOKEN',
    'EXPOSE 22 3000',
    'ADD src /src',
    'RUN apt-get update && apt-get install -y curl',
    'RUN npm install',
    'CMD node /src/index.js',
    '',
  ].join('\n');
  const ends = [
    '',
    'USER root\n',
    'RUN make \\\n# done\n',
    'RUN make \\\n  # done',
    'RUN <<EOF\nmake\n',
    'RUN <<EOF\nmake\nEOF',
    'RUN make',
    'RUN make \\\n\n',
  ];
  return endShapes(ends.map((end) => ({ name: `Dockerfile ending ${JSON.stringify(end)}`, code: body + end })));
}

describe('Dockerfile fixes at the end of the file', () => {
  const exercised = new Set<string>();
  for (const rule of DOCKERFILE_RULES.filter((r) => r.fixes.length > 0)) {
    it(rule.id, () => {
      for (const c of dockerfiles()) {
        try {
          if (checkAllFixes(rule, { code: c.code }) > 0) exercised.add(rule.id);
        } catch (err) {
          throw new Error(`${c.name}:\n${(err as Error).message}`);
        }
      }
    });
  }
  it('exercises the fixes it is about', () => {
    for (const id of ['dockerfile-runs-as-root', 'dockerfile-secret-in-arg-env', 'dockerfile-apt-no-install-recommends', 'dockerfile-shell-form-cmd']) {
      assert.ok(exercised.has(id), `no fix of ${id} was applied`);
    }
  });
});

describe('fixes on empty, null and end-of-file shapes', () => {
  const fixable = KUBERNETES_RULES.filter((r) => r.fixes.length > 0);
  const exercised = new Set<string>();
  for (const rule of fixable) {
    it(rule.id, () => {
      let checked = 0;
      for (const c of pods()) {
        try {
          checked += checkAllFixes(rule, { code: c.code, settings: { pssVersion: 'latest' } });
        } catch (err) {
          throw new Error(`${c.name}:\n${(err as Error).message}`);
        }
      }
      if (checked > 0) exercised.add(rule.id);
    });
  }
  it('exercises the fixes it is about', () => {
    // The harden action and the securityContext fixes must have been applied, or this proves nothing.
    for (const id of [
      'privilege-escalation-allowed',
      'capabilities-not-dropped',
      'missing-seccomp-profile',
      'may-run-as-root',
      'privileged-container',
      'host-network',
    ]) {
      assert.ok(exercised.has(id), `no fix of ${id} was applied`);
    }
  });
});
