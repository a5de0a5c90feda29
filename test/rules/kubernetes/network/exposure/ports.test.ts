import { RuleTester } from '../../../../../rules/tester';
import { serviceAdminPort } from '../../../../../rules/kubernetes/network/exposure/serviceAdminPort';
import { containerRemoteAccessPort } from '../../../../../rules/kubernetes/network/exposure/containerRemoteAccessPort';

const svc = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: git\nspec:\n${spec}`;
const deploy = (containers: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n${containers}`;

RuleTester.run(serviceAdminPort, {
  valid: [
    svc('  ports:\n  - port: 443\n    targetPort: 8443\n'),
    { name: 'a database inside the cluster', code: svc('  ports:\n  - name: postgresql\n    port: 5432\n') },
    {
      name: 'an aggregated API server on 6443 inside the cluster (prometheus-adapter)',
      code: svc('  ports:\n  - name: https\n    port: 443\n    targetPort: 6443\n'),
    },
    { name: 'a webhook on 10250 inside the cluster (cert-manager, metrics-server)', code: svc('  ports:\n  - port: 443\n    targetPort: 10250\n') },
    { name: 'ExternalName has no ports of its own', code: svc('  type: ExternalName\n  externalName: ssh.example.com\n  ports: [{port: 22}]\n') },
    { name: 'a name that only contains a database name', code: svc('  type: LoadBalancer\n  ports:\n  - name: redisinsight\n    port: 8001\n') },
  ],
  invalid: [
    {
      name: 'SSH on a ClusterIP',
      code: svc('  ports:\n  - name: http\n    port: 80\n  - name: ssh\n    port: 22\n    targetPort: 2222\n'),
      errors: [{ text: '22', line: 9, message: 'Service/git exposes SSH (port 22) to every pod of the cluster.' }],
    },
    {
      name: 'SSH behind another port number: the targetPort',
      code: svc('  type: NodePort\n  ports:\n  - port: 8022\n    targetPort: 22\n'),
      errors: [{ text: '22', line: 8, message: 'Service/git exposes SSH (port 22) through a NodePort, reachable from outside the cluster.' }],
    },
    {
      name: 'a named targetPort',
      code: svc('  ports:\n  - port: 5900\n    targetPort: vnc\n'),
      errors: [{ text: '5900', line: 6, message: /VNC \(port 5900\)/ }],
    },
    {
      name: 'databases and etcd on a LoadBalancer, by number and by name',
      code: svc('  type: LoadBalancer\n  ports:\n  - {name: db, port: 5432}\n  - {name: tcp-redis, port: 16379}\n  - {name: client, port: 2379}\n'),
      errors: [
        { text: '5432', line: 7, message: 'Service/git exposes PostgreSQL (port 5432) through a LoadBalancer, reachable from outside the cluster.' },
        { text: 'tcp-redis', line: 8, message: 'Service/git exposes Redis (port "tcp-redis") through a LoadBalancer, reachable from outside the cluster.' },
        { text: '2379', line: 9, message: /the etcd client API \(port 2379\)/ },
      ],
    },
    {
      name: 'a database on externalIPs',
      code: svc('  externalIPs: [203.0.113.9]\n  ports:\n  - port: 3306\n'),
      errors: [{ text: '3306', line: 7, message: 'Service/git exposes MySQL (port 3306) on its externalIPs, reachable from outside the cluster.' }],
    },
    {
      name: 'the Kubernetes API on a LoadBalancer, as a string',
      code: svc('  type: LoadBalancer\n  ports:\n  - port: 443\n    targetPort: "6443"\n'),
      errors: [{ text: '"6443"', line: 8, message: /the Kubernetes API \(port 6443\) through a LoadBalancer/ }],
    },
  ],
});

RuleTester.run(containerRemoteAccessPort, {
  valid: [
    deploy('      - name: web\n        ports:\n        - containerPort: 8080\n'),
    { name: 'a database port is not remote access', code: deploy('      - name: db\n        ports:\n        - {name: postgresql, containerPort: 5432}\n') },
    { name: 'not a workload', code: svc('  ports:\n  - port: 443\n') },
  ],
  invalid: [
    {
      name: 'SSH by number',
      code: deploy('      - name: web\n        ports:\n        - containerPort: 8080\n        - containerPort: 22\n'),
      errors: [{ text: '22', line: 11, message: 'container "web" of Deployment/app declares SSH (port 22), a remote-access port.' }],
    },
    {
      name: 'by name, in an init container, flow style',
      code: deploy('      - name: web\n      initContainers: [{name: debug, ports: [{name: ssh, containerPort: 2022}]}]\n'),
      errors: [{ text: 'ssh', line: 9, message: 'init container "debug" of Deployment/app declares SSH (port "ssh"), a remote-access port.' }],
    },
    {
      name: 'the Docker API in a Pod',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: dind}\nspec:\n  containers:\n  - name: docker\n    ports: [{containerPort: 2375}]\n',
      errors: [{ text: '2375', line: 6, message: /the unencrypted Docker API \(port 2375\)/ }],
    },
  ],
});

RuleTester.run(serviceAdminPort, {
  valid: [],
  invalid: [
    {
      name: 'SSH on 2222 (Kubescape C-0042 counts it too)',
      code: svc('  ports:\n  - port: 2222\n'),
      errors: [{ text: '2222', line: 6, message: 'Service/git exposes SSH (port 2222) to every pod of the cluster.' }],
    },
  ],
});
