/**
 * `--set` / `--set-string` as helm applies them. Each expected result is what helm v3.17.3 printed
 * for `{{ .Values | toJson }}` with the same defaults, `-f` file and flags (recorded with
 * `helm template`; with HELM=/path/to/helm set, the test runs helm again and compares live).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ChartFiles, chartValues, ValuesOverride } from '../../server/src/documents/helm/chart';
import { originOf, childOrigin } from '../../server/src/documents/helm/data';
import { TemplateError } from '../../server/src/documents/helm/parse';
import { applySets, checkSetLine, SetLine, SetSyntaxError, typedValue } from '../../server/src/documents/helm/strvals';

interface Case {
  name: string;
  defaults: string;
  file: string;
  sets: SetLine[];
  /** helm's `.Values | toJson`, or its error after "failed parsing --set data: ". */
  helm: string;
}

const set = (line: string): SetLine => ({ kind: '--set', line });
const str = (line: string): SetLine => ({ kind: '--set-string', line });

const CASES: Case[] = [
  {
    name: 'typing, lists the file gave kept, defaults lists replaced, nulls',
    defaults: 'a: {x: 1, z: 2}\nl: [1, 2, 3]\n',
    file: 'a: {w: null, z: null}\nb: null\nl2: [p, q]\n',
    sets: [set('l2[1]=x,l[1]=9,c=1.5,d=007,e=TRUE,f=-3,g={},h=a\\,b,i=9007199254740991,j=9223372036854775808')],
    helm: '{"a":{"w":null,"x":1},"b":null,"c":"1.5","d":"007","e":true,"f":-3,"g":[""],"h":"a,b","i":9007199254740991,"j":"9223372036854775808","l":[null,9],"l2":["p","x"]}',
  },
  {
    name: 'escapes, nested keys, lists, --set-string after --set',
    defaults: '',
    file: '',
    sets: [
      set('name=value1\\,value2'),
      set('outer.inner1=value,outer.inner3=value3'),
      set('list={a,b,c}'),
      set('servers[0].port=80,servers[0].host=example'),
      set('nodeSelector.kubernetes\\.io/role=master'),
      str('num=5,b=true,n=null'),
      set('k=+5,m=-007,o=0,p=00,q=fAlSe,r=Null'),
    ],
    helm: '{"b":"true","k":5,"list":["a","b","c"],"m":-7,"n":"null","name":"value1,value2","nodeSelector":{"kubernetes.io/role":"master"},"num":"5","o":0,"outer":{"inner1":"value","inner3":"value3"},"p":"00","q":false,"r":null,"servers":[{"host":"example","port":80}]}',
  },
  {
    name: 'list items out of order, nested lists, empty values, a trailing comma',
    defaults: '',
    file: '',
    sets: [set('a[2]=x,a[0].b=1,n[1][2]=y,empty=,trail=x,')],
    helm: '{"a":[{"b":1},null,"x"],"empty":"","n":[null,[null,null,"y"]],"trail":"x"}',
  },
  {
    name: 'every --set-string after every --set',
    defaults: '',
    file: '',
    sets: [str('s=1'), set('s=2,t={1,true,x}'), str('u={1,true}')],
    helm: '{"s":"1","t":[1,true,"x"],"u":["1","true"]}',
  },
  {
    name: 'null deletes a default, stays where there is none',
    defaults: 'a: {x: 1, y2: 2}\nb: 3\n',
    file: '',
    sets: [set('a.x=null,b=null,c=null')],
    helm: '{"a":{"y2":2},"c":null}',
  },
  {
    name: 'into what the file gave',
    defaults: '',
    file: 'l: [p, q, r]\nm: {k: v}\n',
    sets: [set('l[1]=x,m.k2=w')],
    helm: '{"l":["p","x","r"],"m":{"k":"v","k2":"w"}}',
  },
  { name: 'an index and nothing after it', defaults: '', file: '', sets: [set('a[0]')], helm: '{"a":[]}' },
  { name: 'a map inside a list inside a map', defaults: '', file: '', sets: [set('x.y[1].z=1,x.y[0]=s')], helm: '{"x":{"y":["s",{"z":1}]}}' },
  { name: 'a key the file made a scalar', defaults: '', file: 'a: 1\n', sets: [set('a.b=2')], helm: 'error: unable to parse key' },
  { name: 'a key the file made a list', defaults: '', file: 'l: [1]\n', sets: [set('l.a=1')], helm: 'error: unable to parse key' },
];

/** Refused by the syntax alone: helm's message after "failed parsing --set data: ". */
const SYNTAX_ERRORS: [string, string][] = [
  ['a', 'key "a" has no value'],
  ['a,b=1', 'key "a" has no value (cannot end with ,)'],
  ['a[x]=1', 'error parsing index: strconv.Atoi: parsing "x": invalid syntax'],
  ['a[-1]=1', 'negative -1 index not allowed'],
  ['a[70000]=1', 'index of 70000 is greater than maximum supported index of 65536'],
  ['a.=1', 'key map "a" has no value'],
  ['l={a,b', "list must terminate with '}'"],
];

function chartOf(defaults: string): ChartFiles {
  return { root: '/c', chartYaml: 'apiVersion: v2\nname: t\nversion: 1.0.0\n', valuesYaml: defaults, templates: new Map() };
}

function overridesOf(c: Case): ValuesOverride[] {
  return [...(c.file ? [{ file: '/c/f.yaml', text: c.file }] : []), ...c.sets.map((s) => ({ file: s.kind, text: s.line, set: s.kind }))];
}

/** Keys sorted at every level, like Go's encoding/json; `global` (always there for templates) left out. */
function canonical(v: unknown, top = true): unknown {
  if (Array.isArray(v)) return v.map((x) => canonical(x, false));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if (!(top && k === 'global')) out[k] = canonical((v as Record<string, unknown>)[k], false);
    return out;
  }
  return v;
}

function ours(c: Case): string {
  try {
    return JSON.stringify(canonical(chartValues(chartOf(c.defaults), overridesOf(c))));
  } catch (err) {
    if (err instanceof TemplateError) return `error: ${err.message}`;
    throw err;
  }
}

describe('--set and --set-string', () => {
  for (const c of CASES) {
    it(c.name, () => {
      if (c.helm.startsWith('error: ')) assert.match(ours(c), new RegExp(`^error: the values cannot take the --set overrides: ${c.helm.slice(7)}`));
      else assert.deepEqual(JSON.parse(ours(c)), JSON.parse(c.helm));
    });
  }

  it('refuses what helm refuses, with its message', () => {
    for (const [line, message] of SYNTAX_ERRORS) {
      assert.throws(
        () => checkSetLine(set(line)),
        (err: unknown) => err instanceof SetSyntaxError && err.message === message,
        line,
      );
    }
    assert.doesNotThrow(() => checkSetLine(set('a.b[0].c=1,d={x,y}')));
  });

  it('types a value as helm does', () => {
    assert.deepEqual(
      ['true', 'FALSE', 'nUll', '0', '00', '-0', '12', '+3', '1e3', '1.0', '0x1F', '9223372036854775807', '9223372036854775808', '', 'falſe'].map((v) =>
        typedValue(v, false),
      ),
      [true, false, null, 0, '00', 0, 12, 3, '1e3', '1.0', '0x1F', Number(9223372036854775807n), '9223372036854775808', '', false],
    );
    assert.equal(typedValue('true', true), 'true');
  });

  it('leaves the values it was given unchanged, and records where each value came from', () => {
    const chart = chartOf('');
    const fileValues = chartValues(chart, [{ file: '/c/f.yaml', text: 'l: [p, q]\nm: {k: v}\n' }])!;
    const before = JSON.stringify(fileValues);
    const after = applySets(fileValues, [set('l[1]=x,m.k2=w,n.o=1')]);
    assert.equal(JSON.stringify(fileValues), before, 'the -f values are copied, not changed');
    assert.deepEqual(childOrigin(after.m, 'k'), { file: '/c/f.yaml', path: ['m', 'k'] });
    assert.deepEqual(childOrigin(after.m, 'k2'), { file: '--set', path: ['m', 'k2'] });
    assert.deepEqual(childOrigin(after.n, 'o'), { file: '--set', path: ['n', 'o'] });
    assert.deepEqual(originOf(after.l), { file: '--set', path: ['l'] });
  });

  it('applies settings.helm.set entries typed as written, before the lines', () => {
    const values = applySets(
      Object.create(null),
      [set('b=2')],
      [
        ['a.b', '007'],
        ['a.c[1]', { d: true }],
        ['b', 1],
        ['k\\.x', null],
      ],
    );
    assert.deepEqual(canonical(values), { a: { b: '007', c: [null, { d: true }] }, b: 2, 'k.x': null });
  });

  it('reaches a subchart through its section of the parent values', () => {
    const parent: ChartFiles = {
      root: '/p',
      chartYaml: 'apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n  - name: s\n    condition: s.enabled\n',
      valuesYaml: 's: {enabled: true, x: 1}\n',
      templates: new Map(),
    };
    const sub: ChartFiles = {
      root: '/p/charts/s',
      chartYaml: 'apiVersion: v2\nname: s\nversion: 1.0.0\n',
      valuesYaml: 'x: 0\nw: 0\n',
      templates: new Map(),
      parent,
    };
    parent.subcharts = [sub];
    const sets: ValuesOverride[] = [{ file: '--set', text: 's.w=5,global.g=1', set: '--set' }];
    assert.deepEqual(canonical(chartValues(sub, sets), false), { enabled: true, global: { g: 1 }, x: 1, w: 5 });
    assert.equal(chartValues(sub, [{ file: '--set', text: 's.enabled=false', set: '--set' }]), undefined, 'disabled by --set');
  });
});

/** With HELM set: the recorded results are still what this helm prints. */
describe('--set goldens against a live helm', { skip: !process.env.HELM && 'HELM not set (see .ci/fetch-helm.mjs)' }, () => {
  it('helm prints what the cases record', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-set-'));
    try {
      fs.mkdirSync(path.join(dir, 't', 'templates'), { recursive: true });
      fs.writeFileSync(path.join(dir, 't', 'Chart.yaml'), 'apiVersion: v2\nname: t\nversion: 1.0.0\n');
      fs.writeFileSync(path.join(dir, 't', 'templates', 'v.yaml'), 'v: {{ .Values | toJson }}\n');
      for (const c of CASES) {
        fs.writeFileSync(path.join(dir, 't', 'values.yaml'), c.defaults);
        fs.writeFileSync(path.join(dir, 'f.yaml'), c.file);
        const argv = ['template', 't', '-f', 'f.yaml', ...c.sets.flatMap((s) => [s.kind, s.line]), '--show-only', 'templates/v.yaml'];
        const r = spawnSync(process.env.HELM!, argv, { cwd: dir, encoding: 'utf8' });
        if (c.helm.startsWith('error: ')) assert.match(r.stderr, /failed parsing --set data: unable to parse key/, c.name);
        else assert.deepEqual(JSON.parse(r.stdout.split('\nv: ')[1]), JSON.parse(c.helm), c.name);
      }
      for (const [line, message] of SYNTAX_ERRORS) {
        const r = spawnSync(process.env.HELM!, ['template', 't', '--set', line], { cwd: dir, encoding: 'utf8' });
        assert.equal(r.stderr.trim(), `Error: failed parsing --set data: ${message}`, line);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
