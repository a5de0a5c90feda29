import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { applyEdits, YamlEditor, YamlValue } from '../../server/src/engine/yamlEditor';
import { findPair, getIn } from '../../server/src/documents/yamlNodes';

function setIn(text: string, mapPath: string[], path: string[], value: YamlValue): string {
  const doc = parseDocument(text, { version: '1.1' });
  const map = mapPath.length ? getIn(doc.contents, mapPath, doc) : doc.contents;
  assert.ok(isMap(map), 'target map exists');
  const out = applyEdits(text, [new YamlEditor(text, doc).setIn(map as YAMLMap, path, value)]);
  assert.equal(parseDocument(out).errors.length, 0, `result parses:\n${out}`);
  return out;
}

function container(text: string): YAMLMap {
  const doc = parseDocument(text);
  const c = (getIn(doc.contents, ['spec'], doc) as YAMLMap).get('containers') as YAMLSeq;
  return c.items[0] as YAMLMap;
}

describe('YamlEditor.setIn', () => {
  it('replaces an existing scalar in place, keeping the comment', () => {
    assert.equal(setIn('a:\n  b: true # why\n', ['a'], ['b'], false), 'a:\n  b: false # why\n');
  });

  it("creates a missing nested block in the file's own indentation (4 spaces)", () => {
    const text = 'spec:\n    containers:\n    -   name: c\n        image: x\n';
    const doc = parseDocument(text);
    const c = ((getIn(doc.contents, ['spec'], doc) as YAMLMap).get('containers') as YAMLSeq).items[0] as YAMLMap;
    const out = applyEdits(text, [new YamlEditor(text, doc).setIn(c, ['securityContext', 'runAsNonRoot'], true)]);
    assert.equal(out, 'spec:\n    containers:\n    -   name: c\n        image: x\n        securityContext:\n            runAsNonRoot: true\n');
  });

  it('adds to an existing nested map after its last key', () => {
    const text = 'sc:\n  a: 1\n  b: 2\nnext: 3\n';
    assert.equal(setIn(text, [], ['sc', 'c'], 'x'), 'sc:\n  a: 1\n  b: 2\n  c: x\nnext: 3\n');
  });

  it('writes into flow mappings in flow style', () => {
    assert.equal(
      setIn('c: {name: a, securityContext: {privileged: true}}\n', ['c'], ['securityContext', 'runAsNonRoot'], true),
      'c: {name: a, securityContext: {privileged: true, runAsNonRoot: true}}\n',
    );
    assert.equal(
      setIn('c: {name: a}\n', ['c'], ['securityContext', 'capabilities', 'drop'], ['ALL']),
      'c: {name: a, securityContext: {capabilities: {drop: [ALL]}}}\n',
    );
    assert.equal(setIn('c: {}\n', ['c'], ['x'], 1), 'c: {x: 1}\n');
  });

  it('fills a key that has no value yet', () => {
    assert.equal(setIn('a:\n  sc:\n  b: 1\n', ['a'], ['sc', 'x'], true), 'a:\n  sc:\n    x: true\n  b: 1\n');
  });

  it("renders lists in the file's sequence style", () => {
    assert.equal(setIn('a:\n  b: 1\n', ['a'], ['drop'], ['ALL']), 'a:\n  b: 1\n  drop:\n    - ALL\n');
    assert.equal(setIn('a:\n  l:\n  - x\n  b: 1\n', ['a'], ['drop'], ['ALL']), 'a:\n  l:\n  - x\n  b: 1\n  drop:\n  - ALL\n');
  });

  it('keeps CRLF line endings and a missing final newline', () => {
    assert.equal(setIn('a:\r\n  b: 1\r\n', ['a'], ['c'], 2), 'a:\r\n  b: 1\r\n  c: 2\r\n');
    assert.equal(setIn('a:\n  b: 1', ['a'], ['c'], 2), 'a:\n  b: 1\n  c: 2');
  });

  it('quotes strings that YAML would read as something else', () => {
    assert.equal(setIn('a:\n  b: 1\n', ['a'], ['c'], 'yes'), 'a:\n  b: 1\n  c: "yes"\n');
    assert.equal(setIn('a:\n  b: 1\n', ['a'], ['c'], '123'), 'a:\n  b: 1\n  c: "123"\n');
  });

  it('inserts into a sequence item whose first key sits on the dash', () => {
    const text = 'spec:\n  containers:\n  - name: c\n    image: x\n  - name: d\n';
    const c = container(text);
    const doc = parseDocument(text);
    const first = ((getIn(doc.contents, ['spec'], doc) as YAMLMap).get('containers') as YAMLSeq).items[0] as YAMLMap;
    const out = applyEdits(text, [new YamlEditor(text, doc).setIn(first, ['securityContext', 'privileged'], false)]);
    assert.ok(c);
    assert.equal(out, 'spec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      privileged: false\n  - name: d\n');
  });
});

describe('YamlEditor.removePair', () => {
  function remove(text: string, mapPath: string[], key: string): string {
    const doc = parseDocument(text);
    const map = (mapPath.length ? getIn(doc.contents, mapPath, doc) : doc.contents) as YAMLMap;
    const pair = findPair(map, key, doc)!;
    const out = applyEdits(text, [new YamlEditor(text, doc).removePair(map, pair)]);
    assert.equal(parseDocument(out).errors.length, 0, `result parses:\n${out}`);
    return out;
  }

  it('removes the whole line with its comment, and nested values', () => {
    assert.equal(remove('a:\n  x: 1 # c\n  y: 2\n', ['a'], 'x'), 'a:\n  y: 2\n');
    assert.equal(remove('a:\n  x:\n    deep: 1\n  y: 2\n', ['a'], 'x'), 'a:\n  y: 2\n');
  });

  it('moves the next key onto a sequence dash', () => {
    const text = 'l:\n- hostNetwork: true\n  name: n\n';
    const doc = parseDocument(text);
    const map = (doc.contents as YAMLMap).get('l') as YAMLSeq;
    const item = map.items[0] as YAMLMap;
    const out = applyEdits(text, [new YamlEditor(text, doc).removePair(item, item.items[0])]);
    assert.equal(out, 'l:\n- name: n\n');
  });

  it('removes from flow mappings with the separating comma', () => {
    assert.equal(remove('a: {x: 1, y: 2}\n', ['a'], 'x'), 'a: {y: 2}\n');
    assert.equal(remove('a: {x: 1, y: 2}\n', ['a'], 'y'), 'a: {x: 1}\n');
  });
});

describe('YamlEditor sequences', () => {
  function seqOf(text: string): { doc: ReturnType<typeof parseDocument>; seq: YAMLSeq } {
    const doc = parseDocument(text);
    const seq = getIn(doc.contents, ['add'], doc);
    assert.ok(isSeq(seq));
    return { doc, seq };
  }

  it('appends in block and flow style', () => {
    let text = 'add:\n  - A\nnext: 1\n';
    let { doc, seq } = seqOf(text);
    assert.equal(applyEdits(text, [new YamlEditor(text, doc).appendToSeq(seq, 'B')]), 'add:\n  - A\n  - B\nnext: 1\n');
    text = 'add: [A]\n';
    ({ doc, seq } = seqOf(text));
    assert.equal(applyEdits(text, [new YamlEditor(text, doc).appendToSeq(seq, 'B')]), 'add: [A, B]\n');
  });

  it('removes an item, leaving [] when it was the last', () => {
    let text = 'add:\n  - A\n  - B\n';
    let { doc, seq } = seqOf(text);
    assert.equal(applyEdits(text, [new YamlEditor(text, doc).removeSeqItem(seq, seq.items[0] as never)]), 'add:\n  - B\n');
    text = 'add:\n  - A\nx: 1\n';
    ({ doc, seq } = seqOf(text));
    const pair = findPair(doc.contents, 'add', doc);
    assert.equal(applyEdits(text, [new YamlEditor(text, doc).removeSeqItem(seq, seq.items[0] as never, pair)]), 'add: []\nx: 1\n');
  });
});

describe('applyEdits', () => {
  it('refuses overlapping edits', () => {
    assert.throws(() =>
      applyEdits('abcdef', [
        { start: 0, end: 3, newText: 'x' },
        { start: 2, end: 4, newText: 'y' },
      ]),
    );
  });
});
