/** CPU and memory requests and limits: noisy neighbours and denial of service. */
import { findPair, getMap } from '../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../server/src/engine/rule';

export const missingResources: KubernetesRule = {
  id: 'missing-resources',
  language: 'kubernetes',
  title: 'Container without CPU/memory requests or memory limit',
  category: 'resources',
  severity: 'info',
  description:
    'Without a memory limit one container can exhaust the node\'s memory and get its neighbours killed; without ' +
    'requests the scheduler packs pods blindly. Reported per container, naming what is missing (CPU limits are ' +
    'deliberately not required: they throttle more than they protect). Off by default: it is a reliability check.',
  remediation: 'Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory`.',
  references: ['kube-linter:unset-cpu-requirements', 'kube-linter:unset-memory-requirements', 'checkov:CKV_K8S_10', 'checkov:CKV_K8S_12', 'checkov:CKV_K8S_13', 'trivy:KSV015', 'trivy:KSV016', 'trivy:KSV018', 'polaris:cpuRequestsMissing', 'polaris:memoryRequestsMissing', 'polaris:memoryLimitsMissing', 'kube-score:container-resources', 'kubescape:C-0004', 'kubescape:C-0050'],
  fixes: [],
  recommended: false,
  kinds: 'workloads',
  check(ctx) {
    const doc = ctx.object.doc;
    for (const c of ctx.object.podSpec()?.containers(['containers', 'initContainers']) ?? []) {
      const resources = getMap(c.node, 'resources', doc);
      const missing: string[] = [];
      if (!findPair(getMap(resources, 'requests', doc), 'cpu', doc)) missing.push('requests.cpu');
      if (!findPair(getMap(resources, 'requests', doc), 'memory', doc) && !findPair(getMap(resources, 'limits', doc), 'memory', doc)) missing.push('requests.memory');
      if (!findPair(getMap(resources, 'limits', doc), 'memory', doc)) missing.push('limits.memory');
      if (missing.length) ctx.report({ at: findPair(c.node, 'resources', doc) ?? c.anchor, message: `${c.label} of ${ctx.object.label} sets no ${missing.join(', ')}.` });
    }
  },
};
