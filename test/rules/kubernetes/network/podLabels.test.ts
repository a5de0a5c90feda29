/**
 * Pods carry labels their template does not: the controller's (StatefulSet pod names, hashes) and, for
 * pods an operator creates from a custom resource, the operator's. Selectors on them must match.
 */
import { RuleTester } from '../../../../rules/tester';
import { serviceSelectsNoPods } from '../../../../rules/kubernetes/network/serviceSelectsNoPods';
import { networkPolicySelectsNoPods } from '../../../../rules/kubernetes/network/networkPolicyTargets';
import { networkPolicyPortMismatch } from '../../../../rules/kubernetes/network/networkPolicyPorts';
import { deployment, service } from './fixtures';

const statefulSet = (replicas = '') =>
  deployment('redis', { kind: 'StatefulSet', labels: '{app: redis}' }).replace('spec:\n  selector:', `spec:\n${replicas}  selector:`);

const PROMETHEUS =
  'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  podMetadata:\n    labels:\n      app.kubernetes.io/component: prometheus\n      app.kubernetes.io/part-of: kube-prometheus\n  replicas: 2\n';
const OTHER_MONITORING_POD = deployment('grafana', { ns: 'monitoring', labels: '{app: grafana}' });

const prometheusService = (selector: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: prometheus-k8s\n  namespace: monitoring\nspec:\n  selector:\n${selector}  ports:\n  - name: web\n    port: 9090\n    targetPort: web\n`;

RuleTester.run(serviceSelectsNoPods, {
  valid: [
    {
      name: 'one StatefulSet replica by statefulset.kubernetes.io/pod-name',
      code: service('redis-0', { selector: '{app: redis, statefulset.kubernetes.io/pod-name: redis-0}' }),
      files: { 'sts.yaml': statefulSet('  replicas: 3\n') },
    },
    {
      name: 'a pod name beyond replicas is not guessed when replicas is unset',
      code: service('redis-7', { selector: '{app: redis, statefulset.kubernetes.io/pod-name: redis-7}' }),
      files: { 'sts.yaml': statefulSet() },
    },
    {
      name: 'the pod-template-hash a Deployment sets',
      code: service('web', { selector: '{app: web, pod-template-hash: 5d4f8c7b9}' }),
      files: { 'app.yaml': deployment('web') },
    },
    {
      name: 'pods the Prometheus Operator creates: podMetadata labels and the operator labels',
      code: prometheusService('    app.kubernetes.io/name: prometheus\n    app.kubernetes.io/instance: k8s\n    app.kubernetes.io/component: prometheus\n'),
      files: { 'prometheus.yaml': PROMETHEUS, 'grafana.yaml': OTHER_MONITORING_POD },
    },
    {
      name: 'the operator label prometheus=<name>',
      code: prometheusService('    prometheus: k8s\n'),
      files: { 'prometheus.yaml': PROMETHEUS, 'grafana.yaml': OTHER_MONITORING_POD },
    },
  ],
  invalid: [
    {
      name: 'a pod name of another StatefulSet',
      code: service('redis-0', { selector: '{app: redis, statefulset.kubernetes.io/pod-name: cache-0}' }),
      files: { 'sts.yaml': statefulSet('  replicas: 3\n') },
      errors: [{ message: /selects app=redis,statefulset.kubernetes.io\/pod-name=cache-0, which no pod template/ }],
    },
    {
      name: 'an ordinal past the declared replicas',
      code: service('redis-5', { selector: '{app: redis, statefulset.kubernetes.io/pod-name: redis-5}' }),
      files: { 'sts.yaml': statefulSet('  replicas: 3\n') },
      errors: [{ message: /pod-name=redis-5/ }],
    },
    {
      name: 'a Deployment sets no StatefulSet pod name',
      code: service('web', { selector: '{app: web, statefulset.kubernetes.io/pod-name: web-0}' }),
      files: { 'app.yaml': deployment('web') },
      errors: [{ message: /pod-name=web-0/ }],
    },
    {
      name: 'a Prometheus of another name',
      code: prometheusService('    prometheus: main\n'),
      files: { 'prometheus.yaml': PROMETHEUS, 'grafana.yaml': OTHER_MONITORING_POD },
      errors: [{ message: /selects prometheus=main/ }],
    },
    {
      name: "a Prometheus kind of another API group is not the operator's",
      code: prometheusService('    prometheus: k8s\n'),
      files: { 'prometheus.yaml': PROMETHEUS.replace('monitoring.coreos.com/v1', 'example.com/v1'), 'grafana.yaml': OTHER_MONITORING_POD },
      errors: [{ message: /selects prometheus=k8s/ }],
    },
  ],
});

const policy = (selector: string, port = '9090') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: prometheus\n  namespace: monitoring\nspec:\n  podSelector:\n    matchLabels:\n${selector}  ingress:\n  - ports:\n    - port: ${port}\n`;

RuleTester.run(networkPolicySelectsNoPods, {
  valid: [
    {
      name: 'operator-managed pods',
      code: policy('      app.kubernetes.io/name: prometheus\n'),
      files: { 'prometheus.yaml': PROMETHEUS, 'grafana.yaml': OTHER_MONITORING_POD },
    },
  ],
  invalid: [
    {
      name: 'no such pods',
      code: policy('      app.kubernetes.io/name: thanos\n'),
      files: { 'prometheus.yaml': PROMETHEUS, 'grafana.yaml': OTHER_MONITORING_POD },
      errors: [{ message: /app.kubernetes.io\/name=thanos/ }],
    },
  ],
});

RuleTester.run(networkPolicyPortMismatch, {
  valid: [
    {
      name: 'a named port on pods whose ports the operator defines',
      code: policy('      app.kubernetes.io/name: prometheus\n', 'web'),
      files: { 'prometheus.yaml': PROMETHEUS, 'grafana.yaml': OTHER_MONITORING_POD },
    },
    {
      name: 'a Service port forwarding to a named port of operator pods is not a mismatch',
      code: policy('      app.kubernetes.io/name: prometheus\n', '9090'),
      files: { 'prometheus.yaml': PROMETHEUS, 'svc.yaml': prometheusService('    prometheus: k8s\n') },
    },
  ],
  invalid: [],
});
