/**
 * Which workspace facts a lint reads, which facts an index update changes, and that re-linting
 * only the documents whose facts changed gives exactly what a fresh lint gives.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ConfigResolver } from '../../server/src/service/configResolver';
import { BulkheadLanguageService, TextDocumentLike } from '../../server/src/service/languageService';
import { Fact, FACTS, WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { LoadWorkload } from '../support/loadWorkload';
import { freshDiagnostics } from '../support/loadDriver';

const ROOT = path.resolve('/workspace-that-does-not-exist');
const uriOf = (rel: string) => pathToFileURL(path.join(ROOT, rel)).href;

function doc(rel: string, text: string, version = 1, languageId = 'yaml'): TextDocumentLike {
  return { uri: uriOf(rel), languageId, version, getText: () => text };
}

function setup() {
  const index = new WorkspaceIndex();
  const service = new BulkheadLanguageService(new ConfigResolver(), index);
  const changes: Fact[][] = [];
  index.onChange((facts) => changes.push([...facts].sort()));
  return { index, service, changes };
}

const NAMESPACE = (level: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;
const POD = (image: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  hostPID: true\n  containers: [{name: c, image: ${image}}]\n`;

describe('workspace facts', () => {
  it('records what a lint read: a workload in a namespace reads the Namespaces, nothing else', () => {
    const { service } = setup();
    service.lint(doc('pod.yaml', POD('busybox:1')));
    const readers = service.readersOf([FACTS.kind('Namespace')]);
    assert.deepEqual([...readers], [uriOf('pod.yaml')]);
    assert.deepEqual([...service.readersOf([FACTS.kind('Deployment'), FACTS.objects, FACTS.files, FACTS.dockerfile])], []);
  });

  it('an update announces only the facts that changed', () => {
    const { service, changes } = setup();
    const twoDocs = (image: string, level: string) => `${NAMESPACE(level)}---\n${POD(image)}`;
    service.lint(doc('both.yaml', twoDocs('busybox:1', 'baseline')));
    changes.length = 0;
    service.lint(doc('both.yaml', twoDocs('busybox:1', 'baseline'), 2));
    assert.deepEqual(changes, [], 'the same text changes nothing');
    service.lint(doc('both.yaml', twoDocs('busybox:2', 'baseline'), 3));
    assert.deepEqual(
      changes,
      [[FACTS.kind('Pod'), FACTS.kindIn('Pod', 'shop'), FACTS.objects, FACTS.pods('shop')].sort()],
      'the Pod changed, the Namespace did not',
    );
    changes.length = 0;
    service.lint(doc('both.yaml', twoDocs('busybox:2', 'restricted'), 4));
    // "restricted" is longer than "baseline": the Pod's document moved too.
    assert.deepEqual(changes, [[FACTS.kind('Namespace'), FACTS.kindIn('Namespace', ''), FACTS.objects, FACTS.positions].sort()]);
    changes.length = 0;
    service.lint(doc('Dockerfile', 'FROM alpine:3.20\n', 1, 'dockerfile'));
    assert.deepEqual(changes, [[FACTS.dockerfile, FACTS.files].sort()]);
  });

  it('a document is stale only when a fact it read changed', () => {
    const { service } = setup();
    const pod = doc('pod.yaml', POD('busybox:1'));
    service.lint(doc('ns.yaml', NAMESPACE('privileged')));
    assert.deepEqual(
      service.lint(pod).diagnostics.filter((d) => d.code === 'pod-security-admission-rejects'),
      [],
    );
    service.lint(doc('other.yaml', POD('nginx:1').replace('name: p', 'name: q')));
    assert.equal(service.isStale(pod), false, 'another Pod changed: nothing this Pod read');
    service.lint(doc('ns.yaml', NAMESPACE('baseline'), 2));
    assert.equal(service.isStale(pod), true, 'its Namespace changed');
    assert.equal(service.lint(pod).diagnostics.filter((d) => d.code === 'pod-security-admission-rejects').length, 1);
  });

  it('requests answer from the last result of the same text, without linting it again', () => {
    const { service } = setup();
    const pod = doc('pod.yaml', POD('busybox:1'));
    service.lint(pod);
    service.lint(doc('ns.yaml', NAMESPACE('baseline')));
    assert.equal(service.isStale(pod), true);
    const hover = service.hover(pod, { line: 4, character: 4 });
    assert.match(JSON.stringify(hover), /host-pid/);
    assert.equal(service.isStale(pod), true, 'the hover did not lint: the queue will');
    // A newer text is linted first: positions and edits must match what the editor shows.
    const moved = doc('pod.yaml', `# moved down\n${POD('busybox:1')}`, 2);
    assert.match(JSON.stringify(service.hover(moved, { line: 5, character: 4 })), /host-pid/);
    assert.equal(service.isStale(moved), false);
  });

  it('re-linting only the readers of changed facts converges to a fresh lint (random edits)', () => {
    const workload = new LoadWorkload(40, 3);
    const { service, index } = setup();
    const texts = new Map<string, TextDocumentLike>();
    const current = (rel: string, version: number) => {
      const f = workload.files.find((x) => x.rel === rel)!;
      const d = doc(rel, workload.text(rel), version, f.languageId);
      texts.set(d.uri, d);
      return d;
    };
    const dirty = new Set<string>();
    index.onChange((facts) => service.readersOf(facts).forEach((u) => dirty.add(u)));
    for (const f of workload.files) service.lint(current(f.rel, 1));
    const drain = (): string[] => {
      const relinted: string[] = [];
      while (dirty.size) {
        const [uri] = dirty;
        dirty.delete(uri);
        service.lint(texts.get(uri)!);
        relinted.push(uri);
      }
      return relinted;
    };
    drain();
    for (let i = 0; i < 150; i++) {
      const rel = workload.edit();
      service.lint(current(rel, i + 2));
      const relinted = drain().filter((u) => u !== uriOf(rel));
      // Workloads read Namespaces only: editing a Deployment or a Dockerfile re-lints no other Deployment.
      if (!rel.startsWith('cluster/'))
        assert.deepEqual(
          relinted.filter((u) => u.endsWith('deploy.yaml')),
          [],
          `after editing ${rel}`,
        );
    }
    const docs = [...texts.values()];
    const expected = freshDiagnostics(docs);
    for (const d of docs) {
      assert.equal(service.isStale(d), false, `${d.uri} is stale after the queue drained`);
      assert.deepEqual(JSON.parse(JSON.stringify(service.lint(d).diagnostics)), expected.get(d.uri), d.uri);
    }
  });
});
