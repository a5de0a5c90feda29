/** The reachability engine, one Kubernetes semantic point per case, each with its expected connection list. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionSet } from '../../server/src/reachability/connections';
import { deploy, lines, namespace, podsOnly, policy, reachability } from './support';

const ALL4 = '0.0.0.0-255.255.255.255';

describe('reachability: isolation and defaults', () => {
  it('without any policy every workload reaches everything and is reached by everything', () => {
    assert.deepEqual(lines({ 'a.yaml': deploy('a', 'x', { app: 'a' }), 'b.yaml': deploy('b', 'x', { app: 'b' }) }), [
      `${ALL4} => x/a[Deployment] : All Connections`,
      `${ALL4} => x/b[Deployment] : All Connections`,
      `x/a[Deployment] => ${ALL4} : All Connections`,
      'x/a[Deployment] => x/b[Deployment] : All Connections',
      `x/b[Deployment] => ${ALL4} : All Connections`,
      'x/b[Deployment] => x/a[Deployment] : All Connections',
    ]);
  });

  it('a policy without policyTypes and without egress rules isolates for ingress only (deny all ingress)', () => {
    const files = { 'a.yaml': deploy('a', 'x', { app: 'a' }), 'b.yaml': deploy('b', 'x', { app: 'b' }), 'p.yaml': policy('deny', 'x', 'podSelector: {}') };
    assert.deepEqual(lines(files), [`x/a[Deployment] => ${ALL4} : All Connections`, `x/b[Deployment] => ${ALL4} : All Connections`]);
  });

  it('egress rules make Egress a default type too; policyTypes given explicitly wins', () => {
    const egressOnly = 'podSelector: {matchLabels: {app: a}}\negress:\n- to: [{podSelector: {matchLabels: {app: b}}}]';
    const base = { 'a.yaml': deploy('a', 'x', { app: 'a' }), 'b.yaml': deploy('b', 'x', { app: 'b' }) };
    // Defaulted: Ingress and Egress, so a accepts nothing and reaches only b.
    assert.deepEqual(
      lines({ ...base, 'p.yaml': policy('p', 'x', egressOnly) }),
      [
        'x/a[Deployment] => x/b[Deployment] : All Connections',
        `${ALL4} => x/b[Deployment] : All Connections`,
        `x/b[Deployment] => ${ALL4} : All Connections`,
      ].sort(),
    );
    // Explicitly Egress only: a is still reachable from everything.
    assert.deepEqual(lines({ ...base, 'p.yaml': policy('p', 'x', `${egressOnly}\npolicyTypes: [Egress]`) }), [
      `${ALL4} => x/a[Deployment] : All Connections`,
      `${ALL4} => x/b[Deployment] : All Connections`,
      'x/a[Deployment] => x/b[Deployment] : All Connections',
      `x/b[Deployment] => ${ALL4} : All Connections`,
      'x/b[Deployment] => x/a[Deployment] : All Connections',
    ]);
  });

  it('a connection needs the source egress and the destination ingress: both sides, intersected', () => {
    const files = {
      'a.yaml': deploy('a', 'x', { app: 'a' }),
      'b.yaml': deploy('b', 'x', { app: 'b' }),
      'e.yaml': policy('a-out', 'x', 'podSelector: {matchLabels: {app: a}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: 80}, {port: 443}]'),
      'i.yaml': policy('b-in', 'x', 'podSelector: {matchLabels: {app: b}}\ningress:\n- ports: [{port: 443}, {port: 8443}]'),
    };
    assert.deepEqual(
      lines(files, (l) => podsOnly(l) && l.startsWith('x/a')),
      ['x/a[Deployment] => x/b[Deployment] : TCP 443'],
    );
  });

  it('the union of every policy selecting a pod', () => {
    const files = {
      'a.yaml': deploy('a', 'x', { app: 'a' }),
      'b.yaml': deploy('b', 'x', { app: 'b', tier: 'db' }),
      'p1.yaml': policy('p1', 'x', 'podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {}}]\n  ports: [{port: 5432}]'),
      'p2.yaml': policy(
        'p2',
        'x',
        'podSelector: {matchLabels: {tier: db}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n  ports: [{port: 5433}, {port: 9187}]',
      ),
    };
    assert.deepEqual(
      lines(files, (l) => podsOnly(l) && l.startsWith('x/a')),
      ['x/a[Deployment] => x/b[Deployment] : TCP 5432-5433,9187'],
    );
  });

  it('empty from and empty ports admit everything; ingress: [{}] allows all', () => {
    const files = {
      'a.yaml': deploy('a', 'x', { app: 'a' }),
      'b.yaml': deploy('b', 'w', { app: 'b' }),
      'p.yaml': policy('p', 'x', 'podSelector: {}\ningress:\n- {}'),
    };
    assert.deepEqual(
      lines(files, (l) => l.includes('=> x/a')),
      [`${ALL4} => x/a[Deployment] : All Connections`, 'w/b[Deployment] => x/a[Deployment] : All Connections'],
    );
  });
});

describe('reachability: peers', () => {
  const ns = { 'ns.yaml': [namespace('x', { team: 'red' }), namespace('w', { team: 'blue' }), namespace('z', { team: 'red' })].join('---\n') };
  const pods = {
    'x.yaml': deploy('server', 'x', { app: 'server' }),
    'y.yaml': deploy('client', 'w', { app: 'client' }),
    'z.yaml': [deploy('client', 'z', { app: 'client' }), deploy('other', 'z', { app: 'other' })].join('---\n'),
    'x2.yaml': deploy('local', 'x', { app: 'local' }),
  };
  const into = (spec: string) =>
    lines({ ...ns, ...pods, 'p.yaml': policy('p', 'x', `podSelector: {matchLabels: {app: server}}\ningress:\n- from:\n${spec}`) }, (l) =>
      l.includes('=> x/server'),
    );

  it('podSelector alone: pods of the policy namespace only', () => {
    assert.deepEqual(into('  - podSelector: {}'), ['x/local[Deployment] => x/server[Deployment] : All Connections']);
  });

  it('namespaceSelector alone: every pod of the matching namespaces', () => {
    assert.deepEqual(into('  - namespaceSelector: {matchLabels: {team: red}}'), [
      'x/local[Deployment] => x/server[Deployment] : All Connections',
      'z/client[Deployment] => x/server[Deployment] : All Connections',
      'z/other[Deployment] => x/server[Deployment] : All Connections',
    ]);
  });

  it('the automatic kubernetes.io/metadata.name label, also for namespaces without a Namespace object', () => {
    const files = {
      ...pods,
      'p.yaml': policy(
        'p',
        'x',
        'podSelector: {matchLabels: {app: server}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: w}}}]',
      ),
    };
    assert.deepEqual(
      lines(files, (l) => l.includes('=> x/server')),
      ['w/client[Deployment] => x/server[Deployment] : All Connections'],
    );
  });

  it('namespaceSelector and podSelector in one peer: both must match', () => {
    assert.deepEqual(into('  - namespaceSelector: {matchLabels: {team: red}}\n    podSelector: {matchLabels: {app: client}}'), [
      'z/client[Deployment] => x/server[Deployment] : All Connections',
    ]);
  });

  it('the same selectors as two peers: either may match', () => {
    assert.deepEqual(into('  - namespaceSelector: {matchLabels: {team: blue}}\n  - podSelector: {matchLabels: {app: local}}'), [
      'w/client[Deployment] => x/server[Deployment] : All Connections',
      'x/local[Deployment] => x/server[Deployment] : All Connections',
    ]);
  });

  it('an empty namespaceSelector selects every namespace', () => {
    assert.deepEqual(into('  - namespaceSelector: {}\n    podSelector: {matchLabels: {app: client}}'), [
      'w/client[Deployment] => x/server[Deployment] : All Connections',
      'z/client[Deployment] => x/server[Deployment] : All Connections',
    ]);
  });

  it('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
    const files = {
      'p1.yaml': deploy('p1', 'x', { app: 'a', env: 'prod' }),
      'p2.yaml': deploy('p2', 'x', { app: 'b', env: 'dev' }),
      'p3.yaml': deploy('p3', 'x', { app: 'c' }),
      'srv.yaml': deploy('srv', 'x', { role: 'srv' }),
    };
    const run = (expr: string) =>
      lines(
        { ...files, 'p.yaml': policy('p', 'x', `podSelector: {matchLabels: {role: srv}}\ningress:\n- from: [{podSelector: {matchExpressions: [${expr}]}}]`) },
        (l) => l.includes('=> x/srv'),
      ).map((l) => l.split(' ')[0]);
    assert.deepEqual(run('{key: env, operator: In, values: [prod, qa]}'), ['x/p1[Deployment]']);
    assert.deepEqual(run('{key: env, operator: NotIn, values: [prod]}'), ['x/p2[Deployment]', 'x/p3[Deployment]']);
    assert.deepEqual(run('{key: env, operator: Exists}'), ['x/p1[Deployment]', 'x/p2[Deployment]']);
    assert.deepEqual(run('{key: env, operator: DoesNotExist}'), ['x/p3[Deployment]']);
    assert.deepEqual(run('{key: env, operator: Matches, values: [x]}'), [], 'a malformed selector selects nothing');
  });

  it('ipBlock with except: the address space split at every block boundary', () => {
    const files = {
      'a.yaml': deploy('a', 'x', { app: 'a' }),
      'p.yaml': policy('p', 'x', 'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n  ports: [{port: 443}]'),
    };
    assert.deepEqual(
      lines(files, (l) => l.endsWith('x/a[Deployment] : TCP 443')),
      ['10.0.0.0-10.0.255.255 => x/a[Deployment] : TCP 443', '10.2.0.0-10.255.255.255 => x/a[Deployment] : TCP 443'],
    );
    // Egress is not isolated: every segment, merged back into one range.
    assert.deepEqual(
      lines(files, (l) => l.startsWith('x/a')),
      [`x/a[Deployment] => ${ALL4} : All Connections`],
    );
  });

  it('ipBlock does not match pods (their addresses are not known from files)', () => {
    const files = {
      'a.yaml': deploy('a', 'x', { app: 'a' }),
      'b.yaml': deploy('b', 'x', { app: 'b' }),
      'p.yaml': policy('p', 'x', 'podSelector: {matchLabels: {app: a}}\ningress:\n- from: [{ipBlock: {cidr: 0.0.0.0/0}}]'),
    };
    assert.deepEqual(
      lines(files, (l) => l.endsWith('x/a[Deployment] : All Connections')),
      [`${ALL4} => x/a[Deployment] : All Connections`],
    );
  });

  it('IPv6 blocks bring the IPv6 space in', () => {
    const files = {
      'a.yaml': deploy('a', 'x', { app: 'a' }),
      'p.yaml': policy('p', 'x', 'podSelector: {}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: "2001:db8::/32"}}]'),
    };
    assert.deepEqual(
      lines(files, (l) => l.startsWith('x/a')),
      ['x/a[Deployment] => 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff : All Connections'],
    );
  });
});

describe('reachability: ports', () => {
  const files = (ports: string, extra: Record<string, string> = {}) => ({
    'c.yaml': deploy('client', 'x', { app: 'client' }),
    'web.yaml': deploy('web', 'x', { app: 'web', srv: 'y' }, ['http:8080', 'dns:53/UDP', 'metrics:9100']),
    'api.yaml': deploy('api', 'x', { app: 'api', srv: 'y' }, ['http:9090', 'sctp:7777/SCTP']),
    'p.yaml': policy('p', 'x', `podSelector: {matchLabels: {srv: "y"}}\ningress:\n- from: [{podSelector: {matchLabels: {app: client}}}]\n  ports: ${ports}`),
    ...extra,
  });
  const run = (ports: string) => lines(files(ports), (l) => podsOnly(l) && l.startsWith('x/client'));

  it('named ports resolve per destination pod', () => {
    assert.deepEqual(run('[{port: http}]'), ['x/client[Deployment] => x/api[Deployment] : TCP 9090', 'x/client[Deployment] => x/web[Deployment] : TCP 8080']);
  });

  it('a named port needs the same protocol; one missing on a pod allows nothing there', () => {
    assert.deepEqual(run('[{port: dns}]'), [], 'TCP is the default; dns is UDP');
    assert.deepEqual(run('[{port: dns, protocol: UDP}]'), ['x/client[Deployment] => x/web[Deployment] : UDP 53']);
  });

  it('numbers, endPort ranges, UDP and SCTP, formatted by protocol with merged ranges', () => {
    assert.deepEqual(run('[{port: 10053, endPort: 10054}, {port: 10053, protocol: UDP}, {port: 10055}]'), [
      'x/client[Deployment] => x/api[Deployment] : TCP 10053-10055,UDP 10053',
      'x/client[Deployment] => x/web[Deployment] : TCP 10053-10055,UDP 10053',
    ]);
    assert.deepEqual(run('[{protocol: SCTP}, {protocol: UDP}, {port: 1, endPort: 79}, {port: 81, endPort: 65535}]'), [
      'x/client[Deployment] => x/api[Deployment] : SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535',
      'x/client[Deployment] => x/web[Deployment] : SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535',
    ]);
  });

  it('an endPort below port is rejected by the API server: nothing allowed', () => {
    assert.deepEqual(run('[{port: 9000, endPort: 8000}]'), []);
  });

  it('named ports in egress rules resolve against the destination pod', () => {
    const egress = policy('out', 'x', 'podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: metrics}]');
    assert.deepEqual(
      lines({ ...files('[{port: metrics}]'), 'out.yaml': egress }, (l) => podsOnly(l) && l.startsWith('x/client')),
      ['x/client[Deployment] => x/web[Deployment] : TCP 9100'],
    );
  });
});

describe('reachability: namespaces and endpoints', () => {
  it('objects without metadata.namespace form one unnamed namespace, distinct from named ones, shown as default', () => {
    const files = {
      'a.yaml': deploy('a', undefined, { app: 'a' }),
      'b.yaml': deploy('b', 'x', { app: 'b' }),
      'p.yaml': policy('p', undefined, 'podSelector: {}\ningress:\n- from: [{podSelector: {}}]'),
    };
    // The policy (unnamed namespace) admits pods of its own namespace only: b in x is not one.
    assert.deepEqual(
      lines(files, (l) => l.includes('=> default/a')),
      [],
    );
    const both = { ...files, 'c.yaml': deploy('c', undefined, { app: 'c' }) };
    assert.deepEqual(
      lines(both, (l) => l.includes('=> default/a')),
      ['default/c[Deployment] => default/a[Deployment] : All Connections'],
    );
  });

  it('every pod-template kind and bare Pods are endpoints; hostNetwork pods are not', () => {
    const files = {
      'w.yaml': [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: bare, namespace: x, labels: {app: bare}}\nspec: {containers: [{name: c, image: x}]}\n',
        'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: job, namespace: x}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: job}}\n        spec: {containers: [{name: c, image: x}]}\n',
        'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: x}\nspec:\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {hostNetwork: true, containers: [{name: c, image: x}]}\n',
      ].join('---\n'),
      'p.yaml': policy('deny', 'x', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
      'p2.yaml': policy(
        'job-to-bare',
        'x',
        'podSelector: {}\ningress:\n- from: [{podSelector: {matchLabels: {app: job}}}]\negress:\n- to: [{podSelector: {matchLabels: {app: bare}}}]',
      ),
    };
    assert.deepEqual(lines(files), ['x/job[CronJob] => x/bare[Pod] : All Connections']);
    assert.deepEqual(
      reachability(files).snapshot.hostNetwork.map((w) => w.name),
      ['agent'],
    );
  });

  it('the ingress controller reaches the pods behind Ingress backends on their target ports, within their policies', () => {
    const files = {
      'web.yaml': deploy('web', 'x', { app: 'web' }, ['http:8080', 'admin:9000']),
      'svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: x}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}, {name: admin, port: 9000}]\n',
      'ing.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: x}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: web, port: {number: 80}}}\n',
    };
    const fromController = (extra: Record<string, string>) => lines({ ...files, ...extra }, (l) => l.startsWith('{ingress-controller}'));
    assert.deepEqual(fromController({}), ['{ingress-controller} => x/web[Deployment] : TCP 8080']);
    const denyAll = { 'p.yaml': policy('deny', 'x', 'podSelector: {}') };
    assert.deepEqual(fromController(denyAll), []);
    const fromControllerNs = {
      'p.yaml': policy(
        'from-nginx',
        'x',
        'podSelector: {}\ningress:\n- from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]',
      ),
    };
    assert.deepEqual(fromController(fromControllerNs), ['{ingress-controller} => x/web[Deployment] : TCP 8080']);
    const fromOneLabelledPod = {
      'p.yaml': policy('from-nginx', 'x', 'podSelector: {}\ningress:\n- from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: nginx}}}]'),
    };
    assert.deepEqual(fromController(fromOneLabelledPod), [], "the controller pods' labels are unknown");
  });

  it('an OpenShift Route is a source like an Ingress', () => {
    const files = {
      'web.yaml': deploy('web', 'x', { app: 'web' }, ['http:8080']),
      'svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: x}\nspec:\n  selector: {app: web}\n  ports: [{name: web, port: 80, targetPort: http}]\n',
      'route.yaml':
        'apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: web, namespace: x}\nspec:\n  to: {kind: Service, name: web}\n  port: {targetPort: web}\n',
    };
    assert.deepEqual(
      lines(files, (l) => l.startsWith('{ingress-controller}')),
      ['{ingress-controller} => x/web[Deployment] : TCP 8080'],
    );
  });
});

describe('reachability: admin network policies', () => {
  const anp = (name: string, priority: number, rules: string) =>
    `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: ${priority}\n  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: x}}}\n${rules}`;
  const banp = (rules: string) =>
    `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n${rules}`;
  const base = { 'a.yaml': deploy('a', 'x', { app: 'a' }), 'b.yaml': deploy('b', 'w', { app: 'b' }) };
  const intoA = (extra: Record<string, string>) => lines({ ...base, ...extra }, (l) => podsOnly(l) && l.startsWith('w/b'));

  it('Deny wins over NetworkPolicies; Allow too; the lower priority number first', () => {
    const deny = anp(
      'deny-y',
      20,
      '  ingress:\n  - {name: no-y, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: w}}}], ports: [{portNumber: {port: 22, protocol: TCP}}]}\n',
    );
    assert.deepEqual(intoA({ 'anp.yaml': deny }), ['w/b[Deployment] => x/a[Deployment] : SCTP 1-65535,TCP 1-21,23-65535,UDP 1-65535']);
    const allowFirst = anp(
      'allow-ssh',
      10,
      '  ingress:\n  - {name: ssh, action: Allow, from: [{namespaces: {}}], ports: [{portRange: {start: 20, end: 22}}]}\n',
    );
    const npDeny = policy('deny', 'x', 'podSelector: {}');
    assert.deepEqual(intoA({ 'anp.yaml': deny, 'anp2.yaml': allowFirst, 'np.yaml': npDeny }), ['w/b[Deployment] => x/a[Deployment] : TCP 20-22']);
  });

  it('Pass hands ports to NetworkPolicies; with none isolating the pod, the baseline decides', () => {
    const pass = anp('pass', 5, '  ingress:\n  - {name: pass-all, action: Pass, from: [{namespaces: {}}]}\n');
    const baseline = banp('  ingress:\n  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}\n');
    assert.deepEqual(intoA({ 'anp.yaml': pass, 'banp.yaml': baseline }), []);
    const np = policy('allow-b', 'x', 'podSelector: {}\ningress:\n- from: [{namespaceSelector: {}}]\n  ports: [{port: 8080}]');
    assert.deepEqual(intoA({ 'anp.yaml': pass, 'banp.yaml': baseline, 'np.yaml': np }), ['w/b[Deployment] => x/a[Deployment] : TCP 8080']);
  });

  it('egress to networks, and rules applied in order within a policy', () => {
    const egress = anp(
      'egress',
      1,
      '  egress:\n  - {name: allow-10, action: Allow, to: [{networks: [10.0.0.0/8]}]}\n  - {name: deny-rest, action: Deny, to: [{networks: [0.0.0.0/0]}]}\n',
    );
    assert.deepEqual(
      lines({ ...base, 'anp.yaml': egress }, (l) => l.startsWith('x/a') && !l.includes('w/b')),
      ['x/a[Deployment] => 10.0.0.0-10.255.255.255 : All Connections'],
    );
  });
});

describe('connection sets', () => {
  it('set algebra and the notation', () => {
    const tcp = ConnectionSet.ports('TCP', 80)
      .union(ConnectionSet.ports('TCP', 81, 90))
      .union(ConnectionSet.ports('UDP', 53));
    assert.equal(tcp.toString(), 'TCP 80-90,UDP 53');
    assert.equal(ConnectionSet.ALL.subtract(ConnectionSet.ports('TCP', 80)).toString(), 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    assert.equal(tcp.intersect(ConnectionSet.ports('TCP', 85, 100)).toString(), 'TCP 85-90');
    assert.ok(ConnectionSet.ALL.subtract(ConnectionSet.ALL).isEmpty);
    assert.equal(ConnectionSet.ALL.toString(), 'All Connections');
  });
});
