/**
 * Credentials typed on a shell command line (a Dockerfile `RUN`, an `sh -c` string in a pod):
 * `PASSWORD=x cmd`, `--password x`, `--token=x`, `curl -u user:pass`, `mysql -pSECRET`,
 * `sshpass -p x`. Variables, command substitutions and placeholders are not secrets.
 */
import { firstMarkFrom, tokenMarks, TokenMarks } from './formats';
import { judgeByName, judgeNamedValue, judgeValue, looksLikeSecretValue, Verdict } from './judge';
import { CREDENTIAL_NAME_PARTS } from './names';

export interface ShellSecret {
  /** Offsets of the secret in the text. */
  from: number;
  to: number;
  /** The variable or flag that carries it. */
  flag: string;
  verdict: Verdict;
}

/**
 * `NAME=value` words; `[^\s'";&|]` keeps each word to itself. A match starts at its `=`, the name
 * (after the start of the text, a blank, `;`, `&`, `|` or `(`) is read back from there by a
 * lookbehind: irregexp then tries a match only at each `=`, where
 * `/(?:^|[\s;&|(])(?:export\s+)?([A-Za-z_]\w*)=(["']?)([^\s'";&|]+)/g` tried one at every blank
 * (on the corpus RUNs with a credential word, 21 M instructions against 13 M now). It finds the same names and values in the same
 * order (test/secrets/assignmentScan.test.ts): a name's start and its `=` come in the same order, and
 * no name can start inside the previous match (its value ends before a blank, quote or operator).
 * `export` before a name changed only where that regex's match started. Linear: the lookbehind reads
 * back over one name, and the names of two `=` do not overlap.
 * Exported for that test.
 */
export const ASSIGNMENT = /=(?<=(?:^|[\s;&|(])([A-Za-z_]\w*)=)(["']?)([^\s'";&|]+)/g;
/** `--flag value` and `--flag=value`. */
const FLAG = /(?:^|\s)--?([A-Za-z][\w.-]*)(?:=|\s+)(["']?)([^\s'";&|-][^\s'";&|]*)/g;
/** MySQL clients take the password glued to `-p`; `sshpass -p` and `redis-cli -a` take it as the next word. */
const MYSQL_CLIENTS = new Set(['mysql', 'mysqladmin', 'mysqldump', 'mariadb', 'mariadb-dump', 'mysqlimport', 'mysqlcheck']);
const NEXT_WORD_FLAG = new Map([
  ['sshpass', '-p'],
  ['redis-cli', '-a'],
]);
/** Registry clients whose `login` takes the password as the word after `-p` (elsewhere `-p` publishes a port). */
const LOGIN_CLIENTS = new Set(['docker', 'podman', 'nerdctl', 'buildah', 'skopeo']);

/**
 * The flag whose next word is a password for this command (`sshpass -p`, `redis-cli -a`, `docker login -p`),
 * given its program's base name and its words; undefined for other commands.
 */
export function nextWordPasswordFlag(program: string, words: readonly string[]): string | undefined {
  const flag = NEXT_WORD_FLAG.get(program);
  if (flag) return flag;
  return LOGIN_CLIENTS.has(program) && words.includes('login') ? '-p' : undefined;
}

const isBlank = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));
const isOperator = (c: string): boolean => c === ';' || c === '&' || c === '|';

/**
 * Words of each simple command (split on `;`, `&`, `|` and newlines), with their offsets; only the
 * commands whose first word `wanted` accepts are kept (the others are scanned, not cut into words).
 */
function commandWords(text: string, wanted: (first: string) => boolean): { word: string; at: number }[][] {
  const commands: { word: string; at: number }[][] = [];
  let current: { word: string; at: number }[] = [];
  let skipping = false;
  let i = 0;
  while (i < text.length) {
    // The rest of a command no check reads: jump to where it ends rather than cut it into words.
    if (skipping) i = commandEnd(text, i);
    if (i >= text.length) break;
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2; // a line continuation: the command goes on
    } else if (c === ';' || c === '&' || c === '|' || c === '\n') {
      if (current.length) commands.push(current);
      current = [];
      skipping = false;
      i++;
    } else if (isBlank(text.charCodeAt(i))) i++;
    else {
      const start = i;
      while (i < text.length && !isBlank(text.charCodeAt(i)) && !isOperator(text[i])) i++;
      if (skipping) continue;
      const word = text.slice(start, i);
      if (current.length === 0 && !wanted(word)) skipping = true;
      else current.push({ word, at: start });
    }
  }
  if (current.length) commands.push(current);
  return commands;
}

const BOUNDARY = /[;&|\n]/g;

/**
 * Where the command that goes on at `from` (outside a word) ends, as the scan above would find it:
 * the next `;`, `&`, `|` or line break, a line break being a continuation when the escape before it
 * (and a CR between) starts a token (is at `from` or after a blank); a `\\` ending a word is part of it.
 */
function commandEnd(text: string, from: number): number {
  BOUNDARY.lastIndex = from;
  for (let m = BOUNDARY.exec(text); m; m = BOUNDARY.exec(text)) {
    const b = m.index;
    if (text[b] !== '\n') return b;
    const escape = text[b - 1] === '\\' ? b - 1 : text[b - 1] === '\r' && text[b - 2] === '\\' ? b - 2 : -1;
    if (escape < from || (escape > from && !isBlank(text.charCodeAt(escape - 1)))) return b;
  }
  return text.length;
}

const basenameOf = (word: string): string => word.slice(word.lastIndexOf('/') + 1);

/** The first words curlUserPasswords and clientPasswords read (their own tests, in their words). */
const readsCommand = (first: string): boolean => {
  const base = basenameOf(first);
  if (base === 'curl') return true;
  const program = withoutEndQuotes(base);
  return MYSQL_CLIENTS.has(program) || NEXT_WORD_FLAG.has(program) || LOGIN_CLIENTS.has(program);
};

/** A client's program name: the first word's base name, a quote at either end removed. */
function clientProgram(first: string): string {
  return withoutEndQuotes(basenameOf(first));
}

/** `s` without a quote at its start and one at its end (`s.replace(/^["']|["']$/g, '')`, without a regex per word). */
function withoutEndQuotes(s: string): string {
  const from = s[0] === '"' || s[0] === "'" ? 1 : 0;
  const last = s[s.length - 1];
  const to = s.length > from && (last === '"' || last === "'") ? s.length - 1 : s.length;
  return from === 0 && to === s.length ? s : s.slice(from, to);
}

function unquoted(w: { word: string; at: number }): { word: string; at: number } {
  const q = w.word[0];
  return (q === '"' || q === "'") && w.word.endsWith(q) && w.word.length >= 2 ? { word: w.word.slice(1, -1), at: w.at + 1 } : w;
}

/** `curl -u user:password` / `--user user:password` (only curl: `date -u +%H:%M` is not a credential). */
function curlUserPasswords(commands: { word: string; at: number }[][]): { value: string; at: number }[] {
  const out: { value: string; at: number }[] = [];
  for (const words of commands) {
    if (basenameOf(words[0]?.word ?? '') !== 'curl') continue;
    for (let k = 1; k < words.length; k++) {
      const w = words[k].word;
      let cred: { word: string; at: number } | undefined;
      if ((w === '-u' || w === '--user') && k + 1 < words.length) cred = unquoted(words[k + 1]);
      else if (w.startsWith('--user=')) cred = unquoted({ word: w.slice(7), at: words[k].at + 7 });
      else if (w.startsWith('-u') && w.length > 2) cred = unquoted({ word: w.slice(2), at: words[k].at + 2 });
      const colon = cred ? cred.word.indexOf(':') : -1;
      if (cred && colon > 0) out.push({ value: cred.word.slice(colon + 1), at: cred.at + colon + 1 });
    }
  }
  return out;
}

/** `mysql -pSECRET`, `sshpass -p SECRET`, `redis-cli -a SECRET`. */
function clientPasswords(commands: { word: string; at: number }[][]): { value: string; at: number }[] {
  const out: { value: string; at: number }[] = [];
  for (const words of commands) {
    const program = clientProgram(words[0]?.word ?? '');
    if (MYSQL_CLIENTS.has(program)) {
      for (const w of words.slice(1))
        if (w.word.startsWith('-p') && w.word.length > 2 && !w.word.startsWith('-p=')) out.push({ value: w.word.slice(2), at: w.at + 2 });
    }
    const flag = nextWordPasswordFlag(
      program,
      words.map((w) => w.word),
    );
    if (flag) {
      for (let k = 1; k + 1 < words.length; k++) {
        if (words[k].word === flag) {
          const v = unquoted(words[k + 1]);
          out.push({ value: v.word, at: v.at });
        }
      }
    }
  }
  return out;
}

const PASSWORD = { word: 'password', kind: 'password' as const };

/** A word `-u…` or `--user…` (words start after a blank or an operator), and a word `-p…` or `-a…`. */
const CURL_USER_FLAG = /(?:^|[\s;&|])-(?:u|-user)/g;
const CLIENT_PASSWORD_FLAG = /(?:^|[\s;&|])-[pa]/g;
/** Text in the name of every program clientPasswords reads, or a word of its command (`docker login`). */
const CLIENT_NAMES = /mysql|mariadb|sshpass|redis-cli|\blogin\b/;
/** Text in the first word of every command clientPasswords reads. */
const CLIENT_PROGRAMS = /mysql|mariadb|sshpass|redis-cli|docker|podman|nerdctl|buildah|skopeo/g;
const CURL = /curl/g;
const OPERATOR = /[;&|]/g;

/**
 * Whether curlUserPasswords or clientPasswords can find anything: each needs a command whose first
 * word names its program and a later word that is its flag (`-u…`/`--user…` for curl; `-p…` or `-a…`
 * for the others). Long RUNs often name curl or mysql and pass `-u` or `-p` to another command
 * (`useradd -u 1000`, `mkdir -p`): those are not cut into commands at all.
 */
function mayPassClientPassword(text: string): boolean {
  if (text.includes('curl') && flagFollows(text, CURL, CURL_USER_FLAG)) return true;
  // The names first: few command lines name a client, and CLIENT_NAMES is searched for a few fixed
  // texts, where the flag's search tries a match at every blank of the text.
  if (!CLIENT_NAMES.test(text)) return false;
  CLIENT_PASSWORD_FLAG.lastIndex = 0;
  return CLIENT_PASSWORD_FLAG.test(text) && flagFollows(text, CLIENT_PROGRAMS, CLIENT_PASSWORD_FLAG);
}

/**
 * Whether a `flag` word follows a `name` with no `;`, `&` or `|` between them, as it does where the
 * command that `name`'s word starts is given that flag (a command holds no operator; its line breaks
 * are let through). Each search starts where the last one's answer no longer holds: linear.
 */
function flagFollows(text: string, name: RegExp, flag: RegExp): boolean {
  let flagAt = -1; // where the first flag word at or after the name starts (its blank or operator)
  name.lastIndex = 0;
  for (let m = name.exec(text); m; m = name.exec(text)) {
    const at = m.index;
    if (flagAt < at) {
      flag.lastIndex = at;
      const f = flag.exec(text);
      if (!f) return false;
      flagAt = f.index;
    }
    OPERATOR.lastIndex = at;
    const operator = OPERATOR.exec(text);
    if (!operator || flagAt < operator.index) return true;
    name.lastIndex = operator.index + 1;
  }
  return false;
}

/**
 * `marks`: tokenMarks of a text that holds `text` at `offset` (a Dockerfile's, for each of its RUNs),
 * when the caller has them; else the text's own. A value is searched for tokens only where a mark is
 * in it (for hints only where a hint mark is): the others hold none, and are judged by name alone.
 * `namesOnly`: the caller reads only the hits judged by name (`verdict.reason === 'name'`); those are
 * the same, but hits judged by format may be left out.
 */
export function secretsInShellString(text: string, marks?: TokenMarks, offset = 0, namesOnly = false): ShellSecret[] {
  if (text.length > 200_000) return [];
  // A name (ASCII here: the two regexes' `[A-Za-z_]\w*`) is a credential's only where the text has a
  // credential word, and a value is a token only where the text holds a hint or a URL: most command
  // lines have none of them, and their assignments and flags are not even listed.
  const named = CREDENTIAL_NAME_PARTS.test(text);
  const clients = mayPassClientPassword(text);
  // A verdict by name needs a credential name (judgeByName) or a client's password flag: without
  // either, every hit is a format's.
  if (namesOnly && !named && !clients) return [];
  const { hints, urls } = marks ?? tokenMarks(text);
  // The first marks in the text, if any: the scans below walk on from them.
  const hint = firstMarkFrom(hints, offset);
  const url = firstMarkFrom(urls, offset);
  const end = offset + text.length;
  const tokens = (hint < hints.length && hints[hint] < end) || (url < urls.length && urls[url] < end);
  if (!named && !tokens && !clients) return [];
  const out: ShellSecret[] = [];
  const seen = new Set<number>();
  const add = (from: number, value: string, flag: string, verdict: Verdict | undefined) => {
    if (!verdict || seen.has(from)) return;
    seen.add(from);
    if (verdict.reason === 'format') out.push({ from: from + verdict.hit.index, to: from + verdict.hit.index + verdict.hit.length, flag, verdict });
    else out.push({ from, to: from + value.length, flag, verdict });
  };
  if (named || tokens) {
    // A hit by format matters to the caller that reads only names where it can keep a client's
    // password at the same offset from being added (below): where none is looked for, a value whose
    // name is no credential's can only be judged by format, and is not judged.
    const formats = !namesOnly || clients;
    const scan = (re: RegExp): void => {
      if (tokens) scanNamed(re, text, named, formats, offset, hints, hint, urls, url, add);
      else scanNames(re, text, add);
    };
    // Every assignment has a `=` and every flag a `-`: scan for neither where the text has none.
    if (text.includes('=')) scan(ASSIGNMENT);
    if (text.includes('-')) scan(FLAG);
  }
  if (clients) {
    const passwordVerdict = (v: string): Verdict | undefined =>
      looksLikeSecretValue(v, PASSWORD) ? { reason: 'name', name: PASSWORD, what: 'password' } : undefined;
    const commands = commandWords(text, readsCommand);
    for (const p of curlUserPasswords(commands)) add(p.at, p.value, '-u user:password', passwordVerdict(p.value));
    for (const p of clientPasswords(commands)) add(p.at, p.value, '-p', passwordVerdict(p.value));
  }
  return out.length > 1 ? out.sort((a, b) => a.from - b.from) : out;
}

type Add = (from: number, value: string, flag: string, verdict: Verdict | undefined) => void;

/**
 * Judges each `name` / `value` that `re` (ASSIGNMENT or FLAG) finds in a text with a token mark;
 * `named`: see CREDENTIAL_NAME_PARTS. `formats`: false when only verdicts by name are wanted (a
 * value whose name holds no credential word is then skipped). `hints[hint]`, `urls[url]`: the first
 * marks at or after the text's `offset`; the matches come in order, and so are the marks walked.
 */
function scanNamed(
  re: RegExp,
  text: string,
  named: boolean,
  formats: boolean,
  offset: number,
  hints: readonly number[],
  hint: number,
  urls: readonly number[],
  url: number,
  add: Add,
): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // judgeByName rejects a name without a credential word (see CREDENTIAL_NAME_PARTS).
    if (!formats && !CREDENTIAL_NAME_PARTS.test(m[1])) continue;
    const value = m[3];
    const from = m.index + m[0].length - value.length;
    const at = offset + from;
    const to = at + value.length;
    while (hint < hints.length && hints[hint] < at) hint++;
    while (url < urls.length && urls[url] < at) url++;
    // A value with no mark in it holds no token (findTokens would find nothing there), and one with
    // no hint mark needs no search for hints.
    const hinted = hint < hints.length && hints[hint] < to;
    let verdict: Verdict | undefined;
    if (hinted || (url < urls.length && urls[url] < to)) {
      const known = hinted ? undefined : false;
      verdict = named ? judgeNamedValue(m[1], value, known) : judgeValue(value, known);
    } else if (named) verdict = judgeByName(m[1], value);
    if (verdict) add(from, value, m[1], verdict);
  }
}

/** Judges each `name` / `value` that `re` (ASSIGNMENT or FLAG) finds in a text with no token mark, by name. */
function scanNames(re: RegExp, text: string, add: Add): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const verdict = judgeByName(m[1], m[3]);
    if (verdict) add(m.index + m[0].length - m[3].length, m[3], m[1], verdict);
  }
}
