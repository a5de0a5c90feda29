import { RuleTester } from '../../../rules/tester';
import { imageLatestTag, imageNotPinnedByDigest, riskyComponent, untrustedRegistry } from '../../../rules/kubernetes/images';
import { lowUid, privilegedPort, readOnlyRootFilesystem, rootGroup, sudoInCommand } from '../../../rules/kubernetes/hardening';
import { automountServiceAccountToken, defaultNamespace, defaultServiceAccount } from '../../../rules/kubernetes/serviceAccounts';

const pod = (spec: string, meta = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec}`;
const image = (img: string) => pod(`  containers:\n  - name: c\n    image: ${img}\n`);

RuleTester.run(imageLatestTag, {
  valid: [
    image('nginx:1.27.2'),
    image('registry.local:5000/team/app:v3'),
    image('nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'),
    image('"$(IMAGE)"'),
    image('"{{ .Values.image }}"'),
  ],
  invalid: [
    { code: image('nginx'), errors: [{ text: 'nginx', line: 7, message: 'container "c" of Pod/p uses no tag (so latest): "nginx".' }] },
    { name: 'registry with a port is not a tag', code: image('registry.local:5000/app'), errors: [{ text: 'registry.local:5000/app' }] },
    { code: image('ghcr.io/org/app:latest'), errors: [{ text: 'ghcr.io/org/app:latest', message: /uses the latest tag/ }] },
  ],
});

RuleTester.run(imageNotPinnedByDigest, {
  valid: [image('nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')],
  invalid: [{ code: image('nginx:1.27'), errors: [{ text: 'nginx:1.27' }] }],
});

RuleTester.run(untrustedRegistry, {
  valid: [
    { name: 'no allow-list configured: off', code: image('evil.example.com/miner:1') },
    { code: image('registry.corp.example/team/app:1'), settings: { allowedRegistries: ['registry.corp.example'] } },
    { name: 'Docker Hub library image by path prefix', code: image('nginx:1.27'), settings: { allowedRegistries: ['docker.io/library'] } },
  ],
  invalid: [
    {
      code: image('evil.example.com/miner:1'),
      settings: { allowedRegistries: ['registry.corp.example', 'docker.io/library'] },
      errors: [{ text: 'evil.example.com/miner:1', message: /from evil.example.com, which is not in settings.allowedRegistries/ }],
    },
    {
      name: 'prefix must end at a path boundary',
      code: image('docker.io/libraryx/app:1'),
      settings: { allowedRegistries: ['docker.io/library'] },
      errors: [{ text: 'docker.io/libraryx/app:1' }],
    },
  ],
});

RuleTester.run(riskyComponent, {
  valid: [image('ghcr.io/helm/chartmuseum:v0.16')],
  invalid: [
    { code: image('gcr.io/kubernetes-helm/tiller:v2.16.12'), errors: [{ text: 'gcr.io/kubernetes-helm/tiller:v2.16.12', message: /Tiller/ }] },
    { code: image('kubernetesui/dashboard:v2.7.0'), errors: [{ text: 'kubernetesui/dashboard:v2.7.0', message: /dashboard/ }] },
  ],
});

RuleTester.run(readOnlyRootFilesystem, {
  valid: [
    pod('  containers:\n  - name: c\n    securityContext: {readOnlyRootFilesystem: true}\n'),
    pod('  os: {name: windows}\n  containers: [{name: c}]\n'),
    {
      name: 'ephemeral debug containers are exempt',
      code: pod('  containers:\n  - name: c\n    securityContext: {readOnlyRootFilesystem: true}\n  ephemeralContainers: [{name: dbg}]\n'),
    },
  ],
  invalid: [
    {
      code: pod('  containers:\n  - name: c\n    securityContext:\n      readOnlyRootFilesystem: false\n'),
      errors: [{ text: 'readOnlyRootFilesystem: false', line: 8, message: 'container "c" of Pod/p can write to its root filesystem.' }],
      output: pod('  containers:\n  - name: c\n    securityContext:\n      readOnlyRootFilesystem: true\n'),
    },
    {
      code: pod('  containers:\n  - name: c\n'),
      errors: [{ text: 'name: c' }],
      output: pod('  containers:\n  - name: c\n    securityContext:\n      readOnlyRootFilesystem: true\n'),
    },
  ],
});

RuleTester.run(rootGroup, {
  valid: [pod('  securityContext: {runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000]}\n  containers: [{name: c}]\n')],
  invalid: [
    {
      code: pod('  securityContext:\n    fsGroup: 0\n    supplementalGroups: [1, 0]\n  containers:\n  - name: c\n    securityContext: {runAsGroup: 0}\n'),
      errors: [
        { text: 'fsGroup: 0', line: 6 },
        { text: '0', line: 7 },
        { text: 'runAsGroup: 0', line: 10 },
      ],
    },
  ],
});

RuleTester.run(lowUid, {
  valid: [
    pod('  securityContext: {runAsUser: 65532}\n  containers: [{name: c}]\n'),
    { name: "UID 0 is another rule's", code: pod('  securityContext: {runAsUser: 0}\n  containers: [{name: c}]\n') },
  ],
  invalid: [
    {
      name: 'the only container overrides the pod-level UID',
      code: pod('  securityContext: {runAsUser: 1000}\n  containers:\n  - name: c\n    securityContext: {runAsUser: 999}\n'),
      errors: [{ text: 'runAsUser: 999', line: 8 }],
    },
    {
      code: pod('  securityContext: {runAsUser: 1000}\n  containers:\n  - name: c\n    securityContext: {runAsUser: 999}\n  - name: d\n'),
      errors: [
        { text: 'runAsUser: 1000', line: 5 },
        { text: 'runAsUser: 999', line: 8 },
      ],
    },
  ],
});

RuleTester.run(sudoInCommand, {
  valid: [
    pod('  containers:\n  - name: c\n    command: ["sh", "-c", "echo pseudo-sudo && run"]\n'),
    pod('  containers:\n  - name: c\n    args: ["--sudoers-file=/x"]\n'),
  ],
  invalid: [
    {
      code: pod('  containers:\n  - name: c\n    command: ["sh", "-c", "sudo -u app /start"]\n'),
      errors: [{ text: '"sudo -u app /start"', line: 7, message: 'container "c" of Pod/p runs sudo in its command.' }],
    },
  ],
});

RuleTester.run(privilegedPort, {
  valid: [
    pod('  containers:\n  - name: c\n    ports: [{containerPort: 8080}]\n'),
    { name: 'host network pods bind node ports on purpose', code: pod('  hostNetwork: true\n  containers:\n  - name: c\n    ports: [{containerPort: 53}]\n') },
  ],
  invalid: [
    {
      code: pod('  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n'),
      errors: [{ text: '80', line: 8, message: 'container "c" of Pod/p listens on port 80, below 1024.' }],
    },
  ],
});

RuleTester.run(automountServiceAccountToken, {
  valid: [pod('  automountServiceAccountToken: false\n  containers: [{name: c}]\n')],
  invalid: [
    {
      code: pod('  automountServiceAccountToken: true\n  containers: [{name: c}]\n'),
      errors: [{ text: 'automountServiceAccountToken: true', line: 5 }],
      output: pod('  automountServiceAccountToken: false\n  containers: [{name: c}]\n'),
    },
    {
      code: pod('  serviceAccountName: app\n  containers: [{name: c}]\n'),
      errors: [{ text: 'serviceAccountName: app' }],
      output: pod('  serviceAccountName: app\n  containers: [{name: c}]\n  automountServiceAccountToken: false\n'),
    },
  ],
});

RuleTester.run(defaultServiceAccount, {
  valid: [pod('  serviceAccountName: app\n  containers: [{name: c}]\n')],
  invalid: [
    { code: pod('  serviceAccountName: default\n  containers: [{name: c}]\n'), errors: [{ text: 'serviceAccountName: default' }] },
    { code: pod('  containers: [{name: c}]\n'), errors: [{ text: 'name: c' }] },
  ],
});

RuleTester.run(defaultNamespace, {
  valid: [pod('  containers: [{name: c}]\n'), pod('  containers: [{name: c}]\n', '  namespace: shop\n')],
  invalid: [{ code: pod('  containers: [{name: c}]\n', '  namespace: default\n'), errors: [{ text: 'namespace: default', line: 4 }] }],
});
