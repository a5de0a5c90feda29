/** Small RBAC manifests for the tester cases. */

export function clusterRole(name: string, rules: string, extra = ''): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\n${extra}rules:\n${rules}`;
}

export function role(name: string, ns: string, rules: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nrules:\n${rules}`;
}

/** One rule item in block style. */
export function rule(groups: string, resources: string, verbs: string): string {
  return `- apiGroups: ${groups}\n  resources: ${resources}\n  verbs: ${verbs}\n`;
}

export function clusterRoleBinding(name: string, roleName: string, subjects: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ${name}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${roleName}\nsubjects:\n${subjects}`;
}

export function roleBinding(name: string, ns: string, roleKind: string, roleName: string, subjects: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ${roleKind}\n  name: ${roleName}\nsubjects:\n${subjects}`;
}

export function sa(name: string, ns: string): string {
  return `- kind: ServiceAccount\n  name: ${name}\n  namespace: ${ns}\n`;
}

export function serviceAccount(name: string, ns: string, extra = ''): string {
  return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}`;
}

export function deployment(name: string, ns: string, opts: { sa?: string; podExtra?: string; container?: string } = {}): string {
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n` +
    (opts.sa ? `      serviceAccountName: ${opts.sa}\n` : '') +
    (opts.podExtra ?? '') +
    `      containers:\n      - name: ${name}\n        image: example/${name}:1\n` +
    (opts.container ?? '')
  );
}
