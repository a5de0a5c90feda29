import { podSpecHostFlag } from './templates/podSpecHostFlag';

const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline';

export const hostNetwork = podSpecHostFlag({
  id: 'host-network',
  field: 'hostNetwork',
  what: 'network namespace: they see every interface of the node, can bind its ports and reach services that trust localhost',
  title: 'Pod shares the host network namespace',
  severity: 'error',
  description:
    "With `hostNetwork: true` a pod uses the node's network stack. It can sniff and spoof traffic of the node, " +
    'reach node-local services (the kubelet, cloud metadata, anything bound to 127.0.0.1) and bypasses ' +
    'NetworkPolicies, which do not apply to host-network pods. Forbidden by the Pod Security Standards baseline.',
  remediation: 'Remove `hostNetwork` (or set it to `false`) and expose the ports the pod needs through a Service.',
  references: [
    'pss:baseline/hostNamespaces',
    'kube-linter:host-network',
    'checkov:CKV_K8S_19',
    'trivy:KSV-0009',
    'kubescape:C-0041',
    'polaris:hostNetworkSet',
    'kubesec:HostNetwork',
    'cis-k8s:5.2.5',
  ],
  docsUrl: PSS_DOCS,
});

export const hostPid = podSpecHostFlag({
  id: 'host-pid',
  field: 'hostPID',
  what: 'process namespace: they see and can signal every process on the node and read their environment',
  title: 'Pod shares the host process namespace',
  severity: 'error',
  description:
    'With `hostPID: true` a pod sees every process on the node. With enough privileges it can read other ' +
    "processes' environment and memory (secrets included), signal them, or enter their namespaces with " +
    '`nsenter`: a short path to the node. Forbidden by the Pod Security Standards baseline.',
  remediation: 'Remove `hostPID` (or set it to `false`).',
  references: [
    'pss:baseline/hostNamespaces',
    'kube-linter:host-pid',
    'checkov:CKV_K8S_17',
    'trivy:KSV-0010',
    'kubescape:C-0038',
    'polaris:hostPIDSet',
    'kubesec:HostPID',
    'cis-k8s:5.2.3',
  ],
  docsUrl: PSS_DOCS,
});

export const hostIpc = podSpecHostFlag({
  id: 'host-ipc',
  field: 'hostIPC',
  what: 'IPC namespace: they can read and write the shared memory of every process on the node',
  title: 'Pod shares the host IPC namespace',
  severity: 'error',
  description:
    'With `hostIPC: true` a pod shares System V IPC and POSIX shared memory with the node, so it can read ' +
    'or tamper with data other processes keep there. Forbidden by the Pod Security Standards baseline.',
  remediation: 'Remove `hostIPC` (or set it to `false`).',
  references: [
    'pss:baseline/hostNamespaces',
    'kube-linter:host-ipc',
    'checkov:CKV_K8S_18',
    'trivy:KSV-0008',
    'kubescape:C-0038',
    'polaris:hostIPCSet',
    'kubesec:HostIPC',
    'cis-k8s:5.2.4',
  ],
  docsUrl: PSS_DOCS,
});
