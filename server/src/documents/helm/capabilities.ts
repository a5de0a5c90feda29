/**
 * `.Capabilities` as `helm template` reports it without a cluster (helm v3.17.3, the version the
 * differential test runs): Kubernetes v1.32.0, helm's built-in list of API group/versions (what
 * `.Capabilities.APIVersions.Has` answers; kinds such as `apps/v1/Deployment` are not in it, so
 * `Has` says false for them, as helm does), and helm's own version.
 */
import { attachMethods, mapOf, withPrintForm, TemplateMethod } from './data';

export const KUBE_VERSION = { major: 1, minor: 32 };
export const HELM_VERSION = { version: 'v3.17.3', gitCommit: 'e4da49785aa6e6ee2b86efd5dd9e43400318262b', gitTreeState: 'clean', goVersion: 'go1.23.7' };

/** chartutil.DefaultVersionSet of helm v3.17.3, in its order (`{{ .Capabilities.APIVersions | toJson }}`). */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1',
  'apps/v1beta1',
  'apps/v1beta2',
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1',
  'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1',
  'authorization.k8s.io/v1beta1',
  'autoscaling/v1',
  'autoscaling/v2',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'certificates.k8s.io/v1beta1',
  'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1',
  'networking.k8s.io/v1alpha1',
  'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1alpha1',
  'apiextensions.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1',
];

/** A fresh `.Capabilities` (template data: maps, a list with a `Has` method). */
export function capabilities() {
  const version = `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.0`;
  const apiVersions = attachMethods([...DEFAULT_API_VERSIONS], {
    Has: new TemplateMethod((args) => typeof args[0] === 'string' && DEFAULT_API_VERSIONS.includes(args[0])),
  });
  const h = HELM_VERSION;
  return mapOf({
    // chartutil.KubeVersion: fields Version, Major, Minor; String() and the deprecated GitVersion() give Version.
    KubeVersion: withPrintForm(mapOf({ Version: version, Major: String(KUBE_VERSION.major), Minor: String(KUBE_VERSION.minor), GitVersion: version }), version),
    APIVersions: apiVersions,
    HelmVersion: withPrintForm(
      mapOf({ Version: h.version, GitCommit: h.gitCommit, GitTreeState: h.gitTreeState, GoVersion: h.goVersion }),
      `{${h.version} ${h.gitCommit} ${h.gitTreeState} ${h.goVersion}}`,
    ),
  });
}
