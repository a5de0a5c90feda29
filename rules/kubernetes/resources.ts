/**
 * CPU and memory requests and limits: noisy neighbours and denial of service. One rule per field,
 * so each carries only the other tools' checks that report that field (a suppression written for
 * Checkov's CPU-request check must not hide a missing memory limit).
 */
import type { Node, YAMLMap } from 'yaml';
import type { Container } from '../../server/src/documents/kube';
import { AnyDoc, findPair, getMap, scalarValue } from '../../server/src/documents/yamlNodes';
import type { KubernetesRule, Target } from '../../server/src/engine/rule';

/**
 * In 0.1.0 one rule, `missing-resources`, reported all three fields. Suppressions match a rule by
 * its id or its references, so this reference keeps `bulkhead-ignore missing-resources` comments and
 * `bulkhead.dev/ignore` annotations working for each of them; config entries, matched by id only,
 * must name the new ids.
 */
const FORMER_ID = 'bulkhead:missing-resources';

const FORMERLY = ' In Bulkhead 0.1.0 this was part of `missing-resources`: suppressions and config entries ' + 'naming that id still apply to it.';

type Resource = 'cpu' | 'memory';

function isSet(map: YAMLMap | undefined, resource: Resource, doc: AnyDoc): boolean {
  const pair = findPair(map, resource, doc);
  const value = pair ? scalarValue(pair.value, doc) : undefined;
  return value !== undefined && value !== null && value !== '';
}

/** What to underline when a field is missing: the closest enclosing key that exists. */
function anchorFor(c: Container, section: 'requests' | 'limits', doc: AnyDoc): Target {
  const resources = findPair(c.node, 'resources', doc);
  const inner = findPair(getMap(c.node, 'resources', doc), section, doc);
  return (inner?.key as Node | undefined) ?? (resources?.key as Node | undefined) ?? c.anchor;
}

interface FieldRule {
  id: string;
  title: string;
  description: string;
  remediation: string;
  references: string[];
  /** The message for a container missing the field, or nothing when it is set. */
  missing(requests: YAMLMap | undefined, limits: YAMLMap | undefined, doc: AnyDoc): string | undefined;
  section: 'requests' | 'limits';
}

function resourceRule(f: FieldRule): KubernetesRule {
  return {
    id: f.id,
    language: 'kubernetes',
    title: f.title,
    category: 'resources',
    severity: 'info',
    description: `${f.description} Off by default: it is a reliability check.${FORMERLY}`,
    remediation: f.remediation,
    references: [...f.references, FORMER_ID],
    fixes: [],
    recommended: false,
    kinds: 'workloads',
    check(ctx) {
      const doc = ctx.object.doc;
      for (const c of ctx.object.podSpec()?.containers(['containers', 'initContainers']) ?? []) {
        const resources = getMap(c.node, 'resources', doc);
        const what = f.missing(getMap(resources, 'requests', doc), getMap(resources, 'limits', doc), doc);
        if (what) ctx.report({ at: anchorFor(c, f.section, doc), message: `${c.label} of ${ctx.object.label} ${what}` });
      }
    },
  };
}

// A request left out defaults to the limit (the API server copies limits into missing requests),
// so a request is missing only when the limit is missing too.
const REQUEST_DEFAULTS = 'A container that sets only a limit is not reported: the API server copies the limit into the missing request.';

export const missingCpuRequest = resourceRule({
  id: 'missing-cpu-request',
  title: 'Container without a CPU request',
  description:
    'Without a CPU request the scheduler places the pod as if it needed no CPU, and under contention the ' +
    'container gets the smallest share. ' +
    REQUEST_DEFAULTS +
    ' CPU limits are deliberately not required: ' +
    'they throttle more than they protect.',
  remediation: 'Set `resources.requests.cpu`.',
  references: [
    'kube-linter:unset-cpu-requirements',
    'checkov:CKV_K8S_10',
    'trivy:KSV-0015',
    'polaris:cpuRequestsMissing',
    'kubescape:C-0268',
    // These report a missing CPU request or limit (kube-score: any of CPU and memory request and limit).
    'kubescape:C-0050',
    'kube-score:container-resources',
    'kubesec:RequestsCPU',
  ],
  section: 'requests',
  missing: (requests, limits, doc) =>
    isSet(requests, 'cpu', doc) || isSet(limits, 'cpu', doc) ? undefined : 'sets no CPU request (resources.requests.cpu, or a CPU limit it would default to).',
});

export const missingMemoryRequest = resourceRule({
  id: 'missing-memory-request',
  title: 'Container without a memory request',
  description:
    'Without a memory request the scheduler places the pod as if it needed no memory, overcommitting the node; ' +
    'under memory pressure the kubelet evicts such pods first. ' +
    REQUEST_DEFAULTS,
  remediation: 'Set `resources.requests.memory` (or `resources.limits.memory`, which it defaults to).',
  references: [
    'kube-linter:unset-memory-requirements',
    'checkov:CKV_K8S_12',
    'trivy:KSV-0016',
    'polaris:memoryRequestsMissing',
    'kubescape:C-0269',
    // These report a missing memory request or limit (kube-score: any of CPU and memory request and limit).
    'kubescape:C-0004',
    'kube-score:container-resources',
    'kubesec:RequestsMemory',
  ],
  section: 'requests',
  missing: (requests, limits, doc) =>
    isSet(requests, 'memory', doc) || isSet(limits, 'memory', doc)
      ? undefined
      : 'sets no memory request (resources.requests.memory, or a memory limit it would default to).',
});

export const missingMemoryLimit = resourceRule({
  id: 'missing-memory-limit',
  title: 'Container without a memory limit',
  description: "Without a memory limit one container can take all of the node's memory, and the kernel then kills " + 'processes of its neighbours too.',
  remediation: 'Set `resources.limits.memory`.',
  references: [
    'kube-linter:unset-memory-requirements',
    'checkov:CKV_K8S_13',
    'trivy:KSV-0018',
    'polaris:memoryLimitsMissing',
    'kubescape:C-0271',
    // These report a missing memory limit among others (C-0004: memory request or limit; C-0009: CPU or
    // memory limit; kube-score: any of CPU and memory request and limit).
    'kubescape:C-0004',
    'kubescape:C-0009',
    'kube-score:container-resources',
    'kubesec:LimitsMemory',
  ],
  section: 'limits',
  missing: (_requests, limits, doc) => (isSet(limits, 'memory', doc) ? undefined : 'sets no memory limit (resources.limits.memory).'),
});

export const RESOURCE_RULES: readonly KubernetesRule[] = [missingCpuRequest, missingMemoryRequest, missingMemoryLimit];
