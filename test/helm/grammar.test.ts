/** The TextMate injection that highlights Go-template actions in Helm templates. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  patterns?: Rule[];
}

describe('helm template grammar', () => {
  const file = path.join(REPO_ROOT, 'syntaxes', 'helm-template.injection.json');
  const grammar = JSON.parse(fs.readFileSync(file, 'utf8')) as { scopeName: string; injectionSelector: string; repository: { action: Rule } };

  it('is contributed for YAML', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: { grammars: { scopeName: string; path: string; injectTo: string[] }[] };
    };
    const entry = pkg.contributes.grammars.find((g) => g.scopeName === grammar.scopeName);
    assert.ok(entry && entry.injectTo.includes('source.yaml') && path.resolve(REPO_ROOT, entry.path) === file);
  });

  it('marks actions and what is in them', () => {
    const action = grammar.repository.action;
    const line = 'image: "{{ .Values.image.repository }}:{{- $tag := default "x" .Values.tag | quote -}}"';
    const begin = new RegExp(action.begin!, 'g');
    assert.deepEqual(
      [...line.matchAll(begin)].map((m) => m.index),
      [line.indexOf('{{ .V'), line.indexOf('{{-')],
    );
    const scopes = (text: string) => {
      for (const r of action.patterns!) {
        const re = new RegExp(r.match ?? r.begin!, 'y');
        if (re.exec(text)) return r.name;
      }
      return undefined;
    };
    assert.equal(scopes('.Values'), 'variable.other.member.helm');
    assert.equal(scopes('$tag'), 'variable.other.helm');
    assert.equal(scopes('range'), 'keyword.control.helm');
    assert.equal(scopes('"x"'), 'string.quoted.double.helm');
    assert.equal(scopes('default'), 'support.function.helm');
    assert.equal(scopes('/* note */'), 'comment.block.helm');
    assert.equal(scopes('|'), 'keyword.operator.helm');
  });
});
