/** PSS baseline checks: fire / must not fire, per container type, pod level, versions. */
import { RuleTester } from '../../../rules/tester';
import { disallowedCapabilities } from '../../../rules/kubernetes/pss/capabilities';
import { hostPathVolume, sensitiveHostPathRule } from '../../../rules/kubernetes/pss/volumes';
import { hostPort } from '../../../rules/kubernetes/pss/hostPorts';
import { apparmorUnconfined, seccompUnconfined, seLinuxCustomOptions } from '../../../rules/kubernetes/pss/confinement';
import { hostProbeOrLifecycle, unmaskedProcMount, unsafeSysctls, windowsHostProcess } from '../../../rules/kubernetes/pss/runtime';

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;

RuleTester.run(disallowedCapabilities, {
  valid: [
    pod('  containers:\n  - name: c\n    securityContext:\n      capabilities:\n        add: [NET_BIND_SERVICE, CHOWN, SYS_CHROOT]\n'),
    pod('  containers:\n  - name: c\n    securityContext:\n      capabilities:\n        drop: [SYS_ADMIN]\n'),
    { name: 'capabilities on a non-workload', code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  capabilities: "add: [SYS_ADMIN]"\n' },
  ],
  invalid: [
    {
      name: 'SYS_ADMIN in an init container, with the danger named',
      code: pod(
        '  initContainers:\n  - name: setup\n    securityContext:\n      capabilities:\n        add:\n        - NET_BIND_SERVICE\n        - SYS_ADMIN # needed?\n  containers:\n  - name: c\n',
      ),
      errors: [{ text: 'SYS_ADMIN', line: 11, message: /init container "setup" of Pod\/p adds SYS_ADMIN \(mount, BPF/ }],
      output: pod(
        '  initContainers:\n  - name: setup\n    securityContext:\n      capabilities:\n        add:\n        - NET_BIND_SERVICE\n  containers:\n  - name: c\n',
      ),
    },
    {
      name: 'several, flow style; lower-case names are not the allowed ones',
      code: pod('  containers:\n  - {name: c, securityContext: {capabilities: {add: [NET_ADMIN, chown]}}}\n'),
      errors: [
        { text: 'NET_ADMIN', line: 6, message: /adds NET_ADMIN \(reconfigures[^)]*\), beyond/ },
        { text: 'chown', line: 6, message: 'container "c" of Pod/p adds chown, beyond what the Pod Security Standards baseline allows.' },
      ],
    },
    {
      name: 'ALL in an ephemeral container',
      code: pod('  containers: [{name: c}]\n  ephemeralContainers:\n  - name: debug\n    securityContext:\n      capabilities:\n        add: ["ALL"]\n'),
      errors: [{ text: '"ALL"', line: 10, message: /ephemeral container "debug"/ }],
    },
  ],
});

RuleTester.run(hostPathVolume, {
  valid: [
    pod('  containers: [{name: c}]\n  volumes:\n  - name: data\n    emptyDir: {}\n'),
    {
      name: "sensitive paths are the other rule's",
      code: pod('  containers: [{name: c}]\n  volumes:\n  - name: sock\n    hostPath: {path: /var/run/docker.sock}\n'),
    },
  ],
  invalid: [
    {
      name: 'CA certificates are an ordinary hostPath',
      code: pod('  containers: [{name: c}]\n  volumes:\n  - {name: certs, hostPath: {path: /etc/ssl/certs}}\n'),
      errors: [{ text: 'hostPath: {path: /etc/ssl/certs}', line: 7 }],
    },
    {
      name: 'a node folder',
      code: pod('  containers: [{name: c}]\n  volumes:\n  - name: logs\n    hostPath:\n      path: /var/log\n'),
      errors: [{ text: 'hostPath:\n      path: /var/log', line: 8, message: 'Pod/p mounts the node folder /var/log as hostPath volume "logs".' }],
    },
  ],
});

RuleTester.run(sensitiveHostPathRule, {
  valid: [
    pod('  containers: [{name: c}]\n  volumes:\n  - name: logs\n    hostPath: {path: /var/log/app}\n'),
    pod('  containers: [{name: c}]\n  volumes:\n  - name: x\n    hostPath: {path: /etc-backup}\n'),
    {
      name: 'CA bundles and the time zone are not secrets',
      code: pod(
        '  containers: [{name: c}]\n  volumes:\n  - {name: certs, hostPath: {path: /etc/ssl/certs}}\n  - {name: tz, hostPath: {path: /etc/localtime}}\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'root of the node, the textbook escape',
      code: pod('  containers: [{name: c}]\n  volumes:\n  - name: host\n    hostPath:\n      path: /\n'),
      errors: [{ text: '/', line: 9, message: /mounts \/ from the node \(the whole node file system\)/ }],
    },
    {
      name: 'runtime sockets and kubelet credentials, trailing slash',
      code: pod(
        '  containers: [{name: c}]\n  volumes:\n  - {name: a, hostPath: {path: /run/containerd/containerd.sock}}\n  - {name: b, hostPath: {path: /var/lib/kubelet/}}\n',
      ),
      errors: [
        { text: '/run/containerd/containerd.sock', message: /container runtime socket/ },
        { text: '/var/lib/kubelet/', message: /kubelet/ },
      ],
    },
  ],
});

RuleTester.run(hostPort, {
  valid: [pod('  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n    - containerPort: 81\n      hostPort: 0\n')],
  invalid: [
    {
      code: pod('  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n      hostPort: 8080 # exposed on the node\n      protocol: TCP\n'),
      errors: [{ text: 'hostPort: 8080', line: 9, message: 'container "c" of Pod/p binds port 8080 on the node (hostPort).' }],
      output: pod('  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n      protocol: TCP\n'),
    },
  ],
});

RuleTester.run(apparmorUnconfined, {
  valid: [
    pod(
      '  securityContext:\n    appArmorProfile: {type: RuntimeDefault}\n  containers:\n  - name: c\n    securityContext:\n      appArmorProfile: {type: Localhost, localhostProfile: k8s-nginx}\n',
    ),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: localhost/k8s-nginx\nspec:\n  containers: [{name: c}]\n',
  ],
  invalid: [
    {
      name: 'field, container level',
      code: pod('  containers:\n  - name: c\n    securityContext:\n      appArmorProfile:\n        type: Unconfined\n'),
      errors: [{ text: 'type: Unconfined', line: 9, message: /container "c" of Pod\/p sets AppArmor profile type Unconfined/ }],
      output: pod('  containers:\n  - name: c\n    securityContext:\n      appArmorProfile:\n        type: RuntimeDefault\n'),
    },
    {
      name: 'annotation on a Deployment template',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/c: unconfined\n    spec:\n      containers: [{name: c}]\n',
      errors: [
        {
          text: 'container.apparmor.security.beta.kubernetes.io/c: unconfined',
          line: 7,
          message: /Deployment\/d sets AppArmor profile "unconfined" for container "c"/,
        },
      ],
      output:
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/c: runtime/default\n    spec:\n      containers: [{name: c}]\n',
    },
  ],
});

RuleTester.run(seLinuxCustomOptions, {
  valid: [
    pod('  securityContext:\n    seLinuxOptions: {level: "s0:c123,c456", type: container_t}\n  containers: [{name: c}]\n'),
    {
      name: 'container_engine_t is allowed from v1.31',
      code: pod('  containers:\n  - name: c\n    securityContext:\n      seLinuxOptions: {type: container_engine_t}\n'),
    },
  ],
  invalid: [
    {
      code: pod('  securityContext:\n    seLinuxOptions:\n      user: system_u\n      type: spc_t\n  containers: [{name: c}]\n'),
      errors: [
        { text: 'user: system_u', line: 7, message: 'the pod of Pod/p sets SELinux user "system_u".' },
        { text: 'type: spc_t', line: 8, message: 'the pod of Pod/p sets SELinux type "spc_t".' },
      ],
    },
  ],
});

RuleTester.run(unmaskedProcMount, {
  valid: [
    pod('  containers:\n  - name: c\n    securityContext: {procMount: Default}\n'),
    {
      name: 'allowed with user namespaces since v1.35',
      code: pod('  hostUsers: false\n  containers:\n  - name: c\n    securityContext: {procMount: Unmasked}\n'),
    },
  ],
  invalid: [
    {
      code: pod('  containers:\n  - name: c\n    securityContext:\n      procMount: Unmasked\n'),
      errors: [{ text: 'procMount: Unmasked', line: 8 }],
      output: pod('  containers:\n  - name: c\n    securityContext:\n      procMount: Default\n'),
    },
    {
      name: 'user namespaces do not help before v1.35',
      code: pod('  hostUsers: false\n  containers:\n  - name: c\n    securityContext: {procMount: Unmasked}\n'),
      errors: [{ text: 'procMount: Unmasked' }],
      settings: { pssVersion: 'v1.34' },
    },
  ],
});

RuleTester.run(seccompUnconfined, {
  valid: [pod('  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n  containers: [{name: c}]\n'), pod('  containers: [{name: c}]\n')],
  invalid: [
    {
      name: 'pod and container',
      code: pod(
        '  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n  - name: c\n    securityContext:\n      seccompProfile: {type: Unconfined}\n',
      ),
      errors: [
        {
          text: 'type: Unconfined',
          line: 7,
          message:
            'The pod of Pod/p sets seccomp Unconfined. Every container sets its own profile, so none inherits it, but the Pod Security Standards baseline forbids Unconfined at pod level too.',
        },
        { text: 'type: Unconfined', line: 11, message: /container "c"/ },
      ],
      output: pod(
        '  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: c\n    securityContext:\n      seccompProfile: {type: RuntimeDefault}\n',
      ),
    },
  ],
});

RuleTester.run(unsafeSysctls, {
  valid: [
    pod(
      '  securityContext:\n    sysctls:\n    - {name: net.ipv4.ip_local_port_range, value: "1024 65535"}\n    - {name: net.ipv4.tcp_keepalive_time, value: "600"}\n  containers: [{name: c}]\n',
    ),
  ],
  invalid: [
    {
      code: pod(
        '  securityContext:\n    sysctls:\n    - name: kernel.msgmax\n      value: "65536"\n    - name: net.ipv4.tcp_syncookies\n      value: "1"\n  containers: [{name: c}]\n',
      ),
      errors: [{ text: 'name: kernel.msgmax', line: 7, message: 'Pod/p sets sysctl kernel.msgmax, which is not in the safe set.' }],
    },
    {
      name: 'a sysctl added in a later version is unsafe under an older standard',
      code: pod('  securityContext:\n    sysctls: [{name: net.ipv4.tcp_rmem, value: "4096 87380 16777216"}]\n  containers: [{name: c}]\n'),
      errors: [{ text: 'name: net.ipv4.tcp_rmem' }],
      settings: { pssVersion: 'v1.31' },
    },
  ],
});

RuleTester.run(windowsHostProcess, {
  valid: [pod('  securityContext:\n    windowsOptions: {hostProcess: false}\n  containers: [{name: c}]\n')],
  invalid: [
    {
      code: pod(
        '  securityContext:\n    windowsOptions:\n      hostProcess: true\n      runAsUserName: "NT AUTHORITY\\\\SYSTEM"\n  hostNetwork: true\n  containers: [{name: c}]\n',
      ),
      errors: [{ text: 'hostProcess: true', line: 7, message: 'the pod of Pod/p runs as a Windows HostProcess container.' }],
      output: pod(
        '  securityContext:\n    windowsOptions:\n      hostProcess: false\n      runAsUserName: "NT AUTHORITY\\\\SYSTEM"\n  hostNetwork: true\n  containers: [{name: c}]\n',
      ),
    },
  ],
});

RuleTester.run(hostProbeOrLifecycle, {
  valid: [
    pod('  containers:\n  - name: c\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n'),
    { name: 'empty host is the pod IP', code: pod('  containers:\n  - name: c\n    readinessProbe:\n      tcpSocket: {host: "", port: 8080}\n') },
  ],
  invalid: [
    {
      code: pod(
        '  containers:\n  - name: c\n    livenessProbe:\n      httpGet:\n        host: 169.254.169.254\n        path: /latest/meta-data\n        port: 80\n    lifecycle:\n      preStop:\n        tcpSocket: {host: kubernetes.default, port: 443}\n',
      ),
      errors: [
        { text: 'host: 169.254.169.254', line: 9, message: /livenessProbe.httpGet of container "c" of Pod\/p connects to host 169.254.169.254/ },
        { text: 'host: kubernetes.default', line: 14 },
      ],
    },
  ],
});
