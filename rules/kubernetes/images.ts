/** Container images: mutable tags, digests, pull policy, registry allow-list, risky components. */
import type { Node, Pair } from 'yaml';
import { findPair, getString } from '../../server/src/documents/yamlNodes';
import type { Container } from '../../server/src/documents/kube';
import type { KubeRuleContext, KubernetesRule } from '../../server/src/engine/rule';
import { withoutTrailingSlashes } from '../text';

/** `registry/repo:tag@digest` split the way container runtimes read it. */
export function parseImage(image: string): { registry: string; repository: string; tag?: string; digest?: string } {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split('/')[0];
  const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? rest.slice(first.length + 1) : rest;
  // Docker Hub's official images live under `library/`.
  if ((registry === 'docker.io' || registry === 'index.docker.io') && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, tag, digest };
}

/** Template placeholders and variables: images we cannot judge. */
function isTemplated(image: string): boolean {
  return /\$\(|\$\{|\{\{|<|%/.test(image);
}

function imagePair(c: Container, ctx: KubeRuleContext): { image: string; pair: Pair } | undefined {
  const pair = findPair(c.node, 'image', ctx.object.doc);
  const image = getString(c.node, 'image', ctx.object.doc);
  if (!pair || !image || isTemplated(image)) return undefined;
  return { image, pair };
}

export const imageLatestTag: KubernetesRule = {
  id: 'image-latest-tag',
  language: 'kubernetes',
  title: 'Image uses :latest or no tag',
  category: 'images',
  severity: 'warning',
  description:
    'An image without a tag, or tagged `latest`, means "whatever was pushed last": nodes may run different code, ' +
    'a rollback does not roll back, and a compromised registry push reaches the cluster on the next restart. ' +
    'Pin a version tag, or better a digest.',
  remediation: 'Use an explicit version tag (`nginx:1.27.2`) or a digest (`nginx@sha256:...`).',
  references: [
    'kube-linter:latest-tag',
    'checkov:CKV_K8S_14',
    'trivy:KSV-0013',
    'polaris:tagNotSpecified',
    'kube-score:container-image-tag',
    'kubescape:C-0075',
  ],
  fixes: [],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/concepts/containers/images/#image-names',
  kinds: 'workloads',
  check(ctx) {
    for (const c of ctx.object.podSpec()?.containers() ?? []) {
      const found = imagePair(c, ctx);
      if (!found) continue;
      const { tag, digest } = parseImage(found.image);
      if (digest) continue;
      if (tag === undefined || tag === 'latest') {
        ctx.report({
          at: found.pair.value as Node,
          message: `${c.label} of ${ctx.object.label} uses ${tag ? 'the latest tag' : 'no tag (so latest)'}: "${found.image}".`,
        });
      }
    }
  },
};

/**
 * Why a digest does not pin anything, or undefined when it does. Only `sha256:` + 64 and
 * `sha512:` + 128 lower-case hex digits name one image (the OCI digest forms registries accept);
 * `@sha256:abc`, upper-case hex or another algorithm is rejected at pull time or pins nothing.
 */
export function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  const algorithm = colon < 0 ? '' : digest.slice(0, colon);
  const hex = colon < 0 ? digest : digest.slice(colon + 1);
  const length = algorithm === 'sha256' ? 64 : algorithm === 'sha512' ? 128 : 0;
  if (!length) return `"${algorithm || digest}" is not a digest algorithm registries accept (sha256 or sha512)`;
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex)) return `a ${algorithm} digest is ${length} lower-case hex digits`;
  return undefined;
}

export const imageNotPinnedByDigest: KubernetesRule = {
  id: 'image-not-pinned-by-digest',
  language: 'kubernetes',
  title: 'Image not pinned by digest',
  category: 'images',
  severity: 'info',
  description:
    'A tag can be moved to other content; a digest (`@sha256:...`) cannot. Pinning by digest makes what runs ' +
    'exactly what was scanned and signed. A digest counts only when well formed: `sha256:` and 64 lower-case ' +
    'hex digits (or `sha512:` and 128); `@sha256:abc`, upper-case hex or another algorithm pins nothing. Off by ' +
    'default: most teams pin tags and let a bot bump digests.',
  remediation: 'Reference the image as `name:tag@sha256:<digest>` (Renovate and Dependabot keep digests current).',
  references: ['checkov:CKV_K8S_43', 'kubescape:C-0306'],
  fixes: [],
  recommended: false,
  kinds: 'workloads',
  check(ctx) {
    for (const c of ctx.object.podSpec()?.containers() ?? []) {
      const found = imagePair(c, ctx);
      if (!found) continue;
      const { digest } = parseImage(found.image);
      const problem = digest === undefined ? undefined : digestProblem(digest);
      if (digest === undefined)
        ctx.report({ at: found.pair.value as Node, message: `${c.label} of ${ctx.object.label} uses "${found.image}" without a digest.` });
      else if (problem)
        ctx.report({
          at: found.pair.value as Node,
          message: `${c.label} of ${ctx.object.label} uses "${found.image}", whose digest is malformed (${problem}): it pins nothing.`,
        });
    }
  },
};

/** Whether `image` comes from a registry (or `registry/path` prefix) of `allowed`; shared with FROM. */
export function registryAllowed(image: string, allowed: readonly unknown[]): { ok: boolean; registry: string } {
  const { registry, repository } = parseImage(image);
  const full = `${registry}/${repository}`;
  const ok = allowed.some((a) => {
    const prefix = withoutTrailingSlashes(String(a));
    return registry === prefix || full === prefix || full.startsWith(`${prefix}/`);
  });
  return { ok, registry };
}

export const untrustedRegistry: KubernetesRule = {
  id: 'untrusted-image-registry',
  language: 'kubernetes',
  title: 'Image from a registry outside the allow-list',
  category: 'images',
  severity: 'error',
  description:
    'When `settings.allowedRegistries` lists the registries (or `registry/path` prefixes) the organisation ' +
    'trusts, an image from anywhere else is reported: the usual path of a typo-squatted or unreviewed image into ' +
    'the cluster. Does nothing until the list is set.',
  remediation: 'Mirror the image into an allowed registry, or add its registry to `settings.allowedRegistries` after review.',
  references: ['trivy:KSV-0125', 'kubescape:C-0078'],
  fixes: [],
  recommended: true,
  kinds: 'workloads',
  check(ctx) {
    const allowed = ctx.settings.allowedRegistries;
    if (!Array.isArray(allowed) || allowed.length === 0) return;
    for (const c of ctx.object.podSpec()?.containers() ?? []) {
      const found = imagePair(c, ctx);
      if (!found) continue;
      const { ok, registry } = registryAllowed(found.image, allowed);
      if (!ok)
        ctx.report({
          at: found.pair.value as Node,
          message: `${c.label} of ${ctx.object.label} pulls "${found.image}" from ${registry}, which is not in settings.allowedRegistries.`,
        });
    }
  },
};

const RISKY: { re: RegExp; what: string; refs: string[] }[] = [
  { re: /(^|\/)tiller(:|@|$)/, what: 'Tiller (Helm 2), which gives anyone who reaches it cluster-admin', refs: ['checkov:CKV_K8S_34', 'trivy:KSV-0102'] },
  {
    re: /kubernetes-?dashboard|kubernetesui\/dashboard/,
    what: 'the Kubernetes dashboard, a classic entry point when exposed or over-privileged',
    refs: ['checkov:CKV_K8S_33'],
  },
];

export const riskyComponent: KubernetesRule = {
  id: 'risky-component',
  language: 'kubernetes',
  title: 'Deploys a component with a history of cluster takeovers',
  category: 'images',
  severity: 'warning',
  description:
    'Some components are well-known ways into a cluster: Tiller (Helm 2, removed upstream, cluster-admin to anyone ' +
    'who can reach its port) and the Kubernetes dashboard (exposed dashboards with a privileged service account ' +
    'were behind real cryptomining breaches).',
  remediation: 'Remove Tiller (use Helm 3). Keep the dashboard off the network, behind authentication, with a read-only service account.',
  references: ['checkov:CKV_K8S_34', 'checkov:CKV_K8S_33', 'trivy:KSV-0102'],
  fixes: [],
  recommended: true,
  kinds: 'workloads',
  check(ctx) {
    for (const c of ctx.object.podSpec()?.containers() ?? []) {
      const found = imagePair(c, ctx);
      const hit = found && RISKY.find((r) => r.re.test(parseImage(found.image).repository));
      if (hit) ctx.report({ at: found!.pair.value as Node, message: `${c.label} of ${ctx.object.label} runs ${hit.what}.` });
    }
  },
};
