/**
 * The references of the exposure rules are spelled so that suppressions written for the other tools
 * silence the matching Bulkhead finding, and nothing else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../../../../rules';
import { ResolvedConfig } from '../../../../../server/src/engine/config';
import { Engine } from '../../../../../server/src/engine/engine';
import { NETWORK_EXPOSURE_RULES } from '../../../../../rules/kubernetes/network/exposure';

const EXPOSURE_IDS = new Set(NETWORK_EXPOSURE_RULES.map((r) => r.id));

const ids = (text: string) =>
  new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'))
    .lint('manifest.yaml', text)
    .findings.map((f) => f.ruleId)
    .filter((id) => EXPOSURE_IDS.has(id))
    .sort();

const service = (annotations: string, spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n${annotations}spec:\n${spec}`;

describe("other tools' suppressions on the exposure rules", () => {
  it('kube-linter exposed-services silences NodePort and LoadBalancer findings', () => {
    assert.deepEqual(ids(service('    x: y\n', '  type: LoadBalancer\n  ports: [{port: 80}]\n')), ['service-load-balancer-open']);
    assert.deepEqual(
      ids(service('    ignore-check.kube-linter.io/exposed-services: "public by design"\n', '  type: LoadBalancer\n  ports: [{port: 80}]\n')),
      [],
    );
    assert.deepEqual(ids(service('    ignore-check.kube-linter.io/exposed-services: "lab"\n', '  type: NodePort\n  ports: [{port: 80}]\n')), []);
  });
  it('kube-score service-type silences only the NodePort finding', () => {
    assert.deepEqual(ids(service('    kube-score/ignore: service-type\n', '  type: NodePort\n  ports: [{port: 22}]\n')), ['service-exposes-admin-port']);
  });
  it('trivy:ignore:KSV108 (any spelling) silences externalIPs', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  # trivy:ignore:KSV-0108\n  externalIPs: [1.2.3.4]\n';
    assert.deepEqual(ids(text), []);
    assert.deepEqual(ids(text.replace('  # trivy:ignore:KSV-0108\n', '')), ['service-external-ips']);
  });
  it('checkov skips of CKV_K8S_153 and CKV_K8S_152 silence the snippet rules one by one', () => {
    const ingress = (skip: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n${skip}    nginx.ingress.kubernetes.io/server-snippet: "content_by_lua_block { ngx.say(1) }"\nspec:\n  tls: [{hosts: [a.example.com]}]\n  rules: [{host: a.example.com}]\n`;
    assert.deepEqual(ids(ingress('')), ['ingress-nginx-snippet-annotation', 'ingress-nginx-snippet-code']);
    assert.deepEqual(ids(ingress('    checkov.io/skip1: CKV_K8S_153=reviewed\n')), ['ingress-nginx-snippet-code']);
    assert.deepEqual(ids(ingress('    checkov.io/skip1: CKV_K8S_153=reviewed\n    checkov.io/skip2: CKV_K8S_152=reviewed\n')), []);
  });
  it('polaris tlsSettingsMissing exemption silences ingress-without-tls', () => {
    const ingress = (a: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n${a}spec:\n  rules: [{host: a.example.com}]\n`;
    assert.deepEqual(ids(ingress('    x: y\n')), ['ingress-without-tls']);
    assert.deepEqual(ids(ingress('    polaris.fairwinds.com/tlsSettingsMissing-exempt: "true"\n')), []);
  });
  it('kube-linter insecure-route-termination silences route-without-tls', () => {
    const route =
      'apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: r\n  annotations:\n    ignore-check.kube-linter.io/insecure-route-termination: "legacy"\nspec:\n  tls: {termination: edge, insecureEdgeTerminationPolicy: Allow}\n';
    assert.deepEqual(ids(route), []);
  });
});
