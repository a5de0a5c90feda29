/**
 * Every Dockerfile and Kubernetes rule, run on inputs built to make regular expressions backtrack:
 * long runs of each character a rule treats specially, and of the motifs known attacks are made
 * of, put in every field the rules read (RUN lines, ARG/ENV names and values, EXPOSE, ADD/COPY
 * paths, FROM images, hostPath paths, image names, env values, args, annotations), plus 1 MB and
 * 100 KB lines. Bulkhead lints untrusted pull requests: a rule that is quadratic on such input is
 * a denial of service. Before the rules were made linear, these inputs (at 50,000 characters) took
 * the rules 3 s to over a minute each (`/` 41 s, `-nonroot.` 51 s, `sh <(curl ` 41 s, `${a-`,
 * `sk-proj-`, `"\\` and `A+` over 60 s); now each takes well under a second.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DockerfileRule, KubernetesRule, Rule } from '../../server/src/engine/rule';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { DOCKERFILE_RULES } from '../../rules/dockerfile';
import { KUBERNETES_RULES } from '../../rules/kubernetes';

/**
 * Time one rule may spend on one input, parsing excluded. Under 0.6 s for every rule on a loaded
 * 2-core machine; the quadratic code this test was written for needed 2.5 s to minutes in one rule
 * on these inputs at these lengths. Per rule, as a blowup sits in one rule while linear costs add
 * up over all of them.
 */
const BUDGET_MS = 1500;

/**
 * CPU time of this process in ms. A blowup costs CPU; a machine shared by many processes only
 * makes wall time longer (at a load average near 20 a linear rule took over the budget by the
 * clock), so the budget is charged in CPU time.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
const RUN = 30_000;
/** YAML parses fast, so Kubernetes inputs can be longer (the old hostPath trim took 7 s at this length). */
const RUN_YAML = 100_000;
const MB = 1 << 20;

/** Characters the rules' patterns treat specially, and repeated pieces of known attack strings. */
const MOTIFS = [
  '/',
  '\\',
  'a',
  ' ',
  '\t',
  '#',
  '"',
  "'",
  '$',
  '{',
  '[',
  '=',
  ':',
  '-',
  '*',
  '\r',
  '\n',
  '\r\n',
  '@',
  '.',
  '${a-',
  '${a:-',
  'sk-proj-',
  'a:',
  '://a:',
  '-nonroot.',
  'set ',
  '[a=b ',
  '/var/lib/dpkg/',
  '"\\',
  'sh <(curl ',
  '-k>',
  '.dist-info/',
  '/node_modules/a',
  'gem/a',
  'A+',
  '\\\r',
  ' -- ',
  '- ',
  'aT3BlbkFJ',
];

/** A Dockerfile with `x` in every field the rules read. One field per line, so one bad field cannot hide the others. */
function dockerfile(x: string): string {
  return [
    `ARG ${x}_TOKEN=1`,
    `ARG BASE=${x}`,
    `FROM ${x}`,
    `FROM alpine:${x} AS b`,
    `FROM ${x}@sha256:${x}`,
    'FROM alpine',
    `ARG ${x}`,
    `ARG API_TOKEN=${x}`,
    `ENV ${x}=1`,
    `ENV DB_PASSWORD=${x} X=${x}`,
    `EXPOSE ${x}`,
    `EXPOSE 80${x}/tcp`,
    `ADD ${x} /dst`,
    `ADD https://${x} /dst/`,
    `COPY ${x} /dst/`,
    `COPY --chown=${x} src ${x}`,
    `COPY --from=${x} ${x} /`,
    `RUN ${x}`,
    `RUN rm -rf ${x}`,
    `RUN rm ${x}/package.json /var/lib/dpkg/${x}`,
    `RUN curl ${x} | sh`,
    `RUN curl -fsSL https://${x} | bash -c ${x}`,
    `RUN bash <(curl ${x})`,
    `RUN set -o ${x} && a | b`,
    `RUN sha256sum -${x} | c`,
    `RUN apt-get install -${x} ${x}`,
    `RUN echo 'deb [trusted=yes ${x}] http://a b' > /etc/apt/sources.list`,
    `RUN echo insecure ${x} >> ~/.curlrc && npm install ${x}`,
    `RUN echo "${x}" '${x}' && pip install ${x}`,
    `RUN find ${x} -name ${x} -delete && chmod 777 ${x}`,
    `RUN --mount=${x} --${x}=1 --network=${x} --security=${x} true`,
    `RUN echo https://user:${x}@host https://${x}:p@${x} sk-${x}`,
    `RUN a \\${x}`,
    '  b',
    `USER ${x}`,
    `USER ${x}:${x}`,
    `CMD ${x}`,
    `ENTRYPOINT ["${x}"]`,
    `HEALTHCHECK CMD ${x}`,
    `SHELL ["/bin/sh", "-o", "${x}", "-c"]`,
    `VOLUME ${x} /var/run/docker.sock`,
    `WORKDIR ${x}`,
    `# bulkhead-ignore dockerfile-runs-as-root ${x} -- ${x}`,
    `# ${x}`,
    `LABEL a=${x}`,
    `ONBUILD RUN ${x}`,
    'USER app',
    '',
  ].join('\n');
}

/** A workload with `x` in every field the rules read. */
function manifest(x: string): string {
  const q = JSON.stringify(x); // every motif stays inside one flow scalar
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${q}`,
    `  namespace: ${q}`,
    '  annotations:',
    `    a: ${q}`,
    `    container.apparmor.security.beta.kubernetes.io/c: ${q}`,
    `  labels: { a: ${q} }`,
    'spec:',
    `  serviceAccountName: ${q}`,
    '  securityContext:',
    `    seLinuxOptions: { type: ${q}, user: ${q} }`,
    `    seccompProfile: { type: ${q}, localhostProfile: ${q} }`,
    `    sysctls: [{ name: ${q}, value: ${q} }]`,
    '  volumes:',
    `    - { name: v, hostPath: { path: ${q} } }`,
    `    - { name: w, ${q}: {} }`,
    '  containers:',
    `    - name: ${q}`,
    `      image: ${q}`,
    `      command: [${q}]`,
    `      args: [${q}, "sh", "-c", ${q}]`,
    `      env: [{ name: ${q}, value: ${q} }]`,
    `      ports: [{ containerPort: 80, hostPort: 80, name: ${q} }]`,
    '      securityContext:',
    `        capabilities: { add: [${q}], drop: [${q}] }`,
    `        procMount: ${q}`,
    `        runAsUser: ${q}`,
    `      resources: { limits: { cpu: ${q}, memory: ${q} } }`,
    `    - { name: b, image: ${JSON.stringify(`${x}:${x}`)}, command: ["sudo", ${q}] }`,
    `    - { name: c, image: "registry.example/${x.replace(/[\\"\r\n]/g, '')}@sha256:${x.replace(/[\\"\r\n]/g, '')}" }`,
    `# bulkhead-ignore-next-line host-network ${x.replace(/[\r\n]/g, ' ')} -- ${x.replace(/[\r\n]/g, ' ')}`,
    '  hostNetwork: true',
    '',
  ].join('\n');
}

/** Wraps each rule's `check` to time it, so a slow input names the rule that was slow. */
function timed<R extends Rule>(rules: readonly R[], times: Map<string, number>): R[] {
  return rules.map((rule) => {
    if (!('check' in rule)) return rule;
    const check = (rule as DockerfileRule | KubernetesRule).check;
    return {
      ...rule,
      check(ctx: never) {
        const t = cpuMs();
        try {
          return (check as (c: never) => void).call(rule, ctx);
        } finally {
          times.set(rule.id, (times.get(rule.id) ?? 0) + cpuMs() - t);
        }
      },
    } as R;
  });
}

/**
 * Lints `text` with `rules` and fails when any one rule takes longer than the budget. The
 * parsers are not timed: they are linear but not fast (dockerfile-ast takes about a second per MB
 * of many-word lines), which is theirs to own and would make the budget depend on the input size.
 */
function lintTimed(rules: readonly Rule[], path: string, text: string): void {
  const times = new Map<string, number>();
  const result = new Engine(new ResolvedConfig(timed(rules, times), {}, 'all')).lint(path, text);
  const slowest = [...times].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const describe = slowest.map(([id, ms]) => `${id} ${Math.round(ms)} ms`).join(', ');
  assert.ok(!slowest.length || slowest[0][1] < BUDGET_MS, `a rule took over ${BUDGET_MS} ms: ${describe}`);
  assert.deepEqual(result.internalErrors, [], 'a rule threw');
  // An input that does not parse is not linted at all, and would prove nothing.
  assert.ok(times.size > 0, 'no rule ran: the input does not parse');
}

const label = (m: string): string => JSON.stringify(m);
/** A run of the motif that then fails to match: `\/+$` is quadratic on `////…!`, not on `////…`. */
const run = (m: string, length = RUN): string => `${m.repeat(Math.ceil(length / m.length))}!`;

describe('pathological inputs', () => {
  describe('Dockerfile rules', () => {
    for (const m of MOTIFS) {
      it(`runs of ${label(m)} in every field`, () => lintTimed(DOCKERFILE_RULES, 'Dockerfile', dockerfile(run(m))));
    }
    // Lines of few words: dockerfile-ast's cost grows with the number of words, not what is tested here.
    const long = [
      `RUN --mount=${'type=a,'.repeat(MB / 7)} x`,
      `RUN apt-get install -${'s'.repeat(MB)}!`,
      `ENV ${'A'.repeat(MB)}_PASSWORD=x`,
      `EXPOSE ${'8'.repeat(MB)}`,
      `ADD ${'/'.repeat(MB)}! /`,
    ];
    for (const line of long) {
      it(`1 MB line: ${line.slice(0, 24)}…`, () => lintTimed(DOCKERFILE_RULES, 'Dockerfile', `FROM alpine\n${line}\nUSER app\n`));
    }
    it('100 KB RUN lines of pipes', () => {
      for (const motif of ['curl x | ', 'set -e; a | ', 'sh <(curl x) ', 'echo "\\', 'sk-proj-']) {
        lintTimed(DOCKERFILE_RULES, 'Dockerfile', `FROM alpine\nRUN ${motif.repeat(100_000 / motif.length)}\nUSER app\n`);
      }
    });
  });
  describe('Kubernetes rules', () => {
    for (const m of MOTIFS) {
      it(`runs of ${label(m)} in every field`, () => lintTimed(KUBERNETES_RULES, 'pod.yaml', manifest(run(m, RUN_YAML))));
    }
    it('1 MB values', () => {
      for (const value of ['a/'.repeat(MB / 2), '/'.repeat(MB), 'sudo '.repeat(MB / 5)]) {
        lintTimed(
          KUBERNETES_RULES,
          'pod.yaml',
          `apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec:\n  volumes: [{ name: v, hostPath: { path: "${value}" } }]\n  containers: [{ name: a, image: "${value}", args: ["${value}"] }]\n`,
        );
      }
    });
  });
});
