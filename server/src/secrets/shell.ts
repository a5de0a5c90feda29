/**
 * Credentials typed on a shell command line (a Dockerfile `RUN`, an `sh -c` string in a pod):
 * `PASSWORD=x cmd`, `--password x`, `--token=x`, `curl -u user:pass`, `mysql -pSECRET`,
 * `sshpass -p x`. Variables, command substitutions and placeholders are not secrets.
 */
import { judgeNamedValue, looksLikeSecretValue, Verdict } from './judge';

export interface ShellSecret {
  /** Offsets of the secret in the text. */
  from: number;
  to: number;
  /** The variable or flag that carries it. */
  flag: string;
  verdict: Verdict;
}

/** `NAME=value` words; `[^\s'";&|]` keeps each word to itself. */
const ASSIGNMENT = /(?:^|[\s;&|(])(?:export\s+)?([A-Za-z_][\w]*)=(["']?)([^\s'";&|]+)/g;
/** `--flag value` and `--flag=value`. */
const FLAG = /(?:^|\s)--?([A-Za-z][\w.-]*)(?:=|\s+)(["']?)([^\s'";&|-][^\s'";&|]*)/g;
/** `curl -u user:password`, `--user user:password`. */
const USER_PASSWORD = /(?:^|\s)(?:-u|--user)(?:=|\s+)(["']?)[^\s:'"]+:([^\s'";&|]+)/g;
/** MySQL clients take the password glued to `-p`; `sshpass -p` and `redis-cli -a` take it as the next word. */
const GLUED_P = /\b(?:mysql|mysqladmin|mysqldump|mariadb|mariadb-dump)\b[^;&|\n]*?\s-p([^\s'";&|]+)/g;
const NEXT_WORD_PASSWORD = /\b(?:sshpass\s+-p|redis-cli\b[^;&|\n]*?\s-a)\s+(["']?)([^\s'";&|]+)/g;

const PASSWORD = { word: 'password', kind: 'password' as const };

export function secretsInShellString(text: string): ShellSecret[] {
  if (text.length > 200_000) return [];
  const out: ShellSecret[] = [];
  const seen = new Set<number>();
  const add = (from: number, value: string, flag: string, verdict: Verdict | undefined) => {
    if (!verdict || seen.has(from)) return;
    seen.add(from);
    if (verdict.reason === 'format') out.push({ from: from + verdict.hit.index, to: from + verdict.hit.index + verdict.hit.length, flag, verdict });
    else out.push({ from, to: from + value.length, flag, verdict });
  };
  for (const re of [ASSIGNMENT, FLAG]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) add(m.index + m[0].length - m[3].length, m[3], m[1], judgeNamedValue(m[1], m[3]));
  }
  const passwordVerdict = (v: string): Verdict | undefined => (looksLikeSecretValue(v, PASSWORD) ? { reason: 'name', name: PASSWORD, what: 'password' } : undefined);
  for (const [re, flag] of [[USER_PASSWORD, '-u user:password'], [GLUED_P, '-p'], [NEXT_WORD_PASSWORD, '-p']] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const value = m[m.length - 1];
      add(m.index + m[0].length - value.length, value, flag, passwordVerdict(value));
    }
  }
  return out.sort((a, b) => a.from - b.from);
}
