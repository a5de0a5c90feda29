/**
 * Credentials on a container's command line: `--password=x`, `--password x`, `-pSECRET` for the MySQL
 * clients, `PASSWORD=x` and tokens inside `sh -c` strings. Command lines show in `ps`, in the pod
 * spec and in logs of whatever starts the process.
 */
import type { Scalar } from 'yaml';
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { getSeq, stringItems } from '../../../server/src/documents/yamlNodes';
import {
  judgeNamedValue,
  judgeValue,
  secretName,
  looksLikeSecretValue,
  nextWordPasswordFlag,
  secretsInShellString,
  Verdict,
} from '../../../server/src/secrets';
import { describeVerdict, SECRETS, spanInScalar, verdictRange } from './common';

interface ArgHit {
  node: Scalar;
  value: string;
  from: number;
  to: number;
  verdict: Verdict;
  flag: string;
}

const PASSWORD_VERDICT: Verdict = { reason: 'name', name: { word: 'password', kind: 'password' }, what: 'password' };

/** `--db-password=…`, `-password=…`: a flag and its attached value. */
const FLAG_WITH_VALUE = /^--?([A-Za-z][\w.-]*)=(.*)$/s;
/** A bare flag (`--password`), whose value is the next item. */
const BARE_FLAG = /^--?([A-Za-z][\w.-]*)$/;
/** MySQL clients take the password glued to `-p`; `-p` alone prompts. */
const MYSQL_CLIENTS = /(?:^|\/)(?:mysql|mysqladmin|mysqldump|mariadb|mariadb-dump|mysqlimport|mysqlcheck)$/;

export function argumentHits(items: { value: string; node: Scalar }[], command0: string | undefined): ArgHit[] {
  const out: ArgHit[] = [];
  const mysql = command0 !== undefined && MYSQL_CLIENTS.test(command0);
  // `sshpass -p x`, `redis-cli -a x`, `docker login -p x`: the password is the next item.
  const nextFlag =
    command0 === undefined
      ? undefined
      : nextWordPasswordFlag(
          command0.slice(command0.lastIndexOf('/') + 1),
          items.map((it) => it.value),
        );
  for (let i = 0; i < items.length; i++) {
    const { value, node } = items[i];
    if (value.length > 100_000) continue;
    const push = (flag: string, from: number, to: number, verdict: Verdict | undefined) => {
      if (verdict) out.push({ node, value, from, to, verdict, flag });
    };
    const withValue = FLAG_WITH_VALUE.exec(value);
    if (withValue && !/\s/.test(withValue[2])) {
      const start = value.length - withValue[2].length;
      const verdict = judgeNamedValue(withValue[1], withValue[2]);
      if (verdict) {
        const [a, b] = verdictRange(verdict, withValue[2]);
        push(withValue[1], start + a, start + b, verdict);
        continue;
      }
    }
    const bare = BARE_FLAG.exec(value);
    if (bare && i + 1 < items.length && secretName(bare[1])) {
      const next = items[i + 1];
      const verdict = judgeNamedValue(bare[1], next.value);
      if (verdict && !next.value.startsWith('-')) {
        const [a, b] = verdictRange(verdict, next.value);
        out.push({ node: next.node, value: next.value, from: a, to: b, verdict, flag: bare[1] });
        i++;
        continue;
      }
    }
    if (nextFlag !== undefined && value === nextFlag && i + 1 < items.length) {
      const next = items[i + 1];
      if (looksLikeSecretValue(next.value, { word: 'password', kind: 'password' })) {
        out.push({ node: next.node, value: next.value, from: 0, to: next.value.length, verdict: PASSWORD_VERDICT, flag: nextFlag });
        i++;
        continue;
      }
    }
    if (mysql && /^-p[^\s]+$/.test(value)) {
      const pw = value.slice(2);
      if (looksLikeSecretValue(pw, { word: 'password', kind: 'password' })) {
        push('-p', 2, value.length, { reason: 'name', name: { word: 'password', kind: 'password' }, what: 'password' });
        continue;
      }
    }
    if (/\s/.test(value)) {
      // A shell string: assignments, flags and client passwords inside it, then known formats anywhere.
      const inShell = secretsInShellString(value);
      for (const h of inShell) push(h.flag, h.from, h.to, h.verdict);
      if (inShell.length) continue;
    }
    const byFormat = judgeValue(value);
    if (byFormat)
      push(
        '',
        byFormat.reason === 'format' ? byFormat.hit.index : 0,
        byFormat.reason === 'format' ? byFormat.hit.index + byFormat.hit.length : value.length,
        byFormat,
      );
  }
  return out;
}

export const secretInCommandArgs: KubernetesRule = {
  ...SECRETS,
  id: 'secret-in-command-args',
  language: 'kubernetes',
  title: 'Credential on a container command line',
  severity: 'error',
  description:
    "A container's `command` or `args` passes a credential literally: `--password=…`, `--password …`, " +
    '`-p…` to the MySQL clients, `sshpass -p …`, `redis-cli -a …`, `docker login -p …`, `PASSWORD=… ./run` or ' +
    '`--token …` inside an `sh -c` string, or a known token ' +
    'format (cloud keys, VCS tokens, `user:password@` URLs) anywhere. Command lines are in the repository, in ' +
    'the pod spec, and visible to every process on the node through `ps`. Variables (`$(DB_PASSWORD)`, ' +
    '`$DB_PASSWORD`) and placeholders are not reported.',
  remediation:
    'Revoke the credential. Pass it through an env var read from a Secret (`valueFrom.secretKeyRef`) and ' +
    'refer to it as `$(VAR)` in `args`, or mount the Secret as a file and point the program at it.',
  references: [],
  fixes: [],
  kinds: 'workloads',
  check(ctx) {
    const doc = ctx.object.doc;
    const pod = ctx.object.podSpec();
    if (!pod) return;
    for (const container of pod.containers()) {
      const command = stringItems(getSeq(container.node, 'command', doc), doc);
      const args = stringItems(getSeq(container.node, 'args', doc), doc);
      const program = command[0]?.value ?? args[0]?.value;
      for (const hit of argumentHits([...command, ...args], program)) {
        ctx.report({
          at: spanInScalar(ctx.text, hit.node, hit.from, hit.to),
          message: `${container.label} of ${ctx.object.label} passes ${hit.flag ? `${hit.flag} ` : ''}a literal ${describeVerdict(hit.verdict, hit.value.slice(hit.from, hit.to))} on its command line: it is in the repository, the pod spec and the node's process list. Pass it through an env var from a Secret and use $(VAR).`,
        });
      }
    }
  },
};
