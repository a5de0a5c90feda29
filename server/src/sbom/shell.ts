/**
 * Just enough of a POSIX shell to read what a RUN installs: continuations joined, the script cut into
 * simple commands at `&&`, `||`, `;`, `|`, `&`, newlines, parentheses, `$(` and backticks, each
 * command cut into words with quotes removed and `$VAR` / `${VAR}` / `${VAR:-default}` expanded
 * from the ARG and ENV values in scope. One pass over the text, no regular expression on it, so a
 * hostile Dockerfile costs linear time.
 */

export interface Word {
  /** The word with quotes removed and known variables expanded. */
  readonly value: string;
  /** A variable in it had no known value (its `${…}` text is kept in `value`). */
  readonly unresolved: boolean;
  /** Offset in the script of its first character. */
  readonly start: number;
}

export interface SimpleCommand {
  readonly words: Word[];
  /** Offset in the script of the command's first character. */
  readonly start: number;
  /** The operator that ends it (`|`, `&&`, `;`, `\n`…), '' at the end of the script. */
  readonly next: string;
}

export type Variables = ReadonlyMap<string, string>;

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f';
const isNameChar = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_');

/** A script with the source offset of each of its characters. */
export interface Script {
  readonly text: string;
  /** Source offset of `text[i]` (of the end, past the last character). */
  offset(i: number): number;
}

/**
 * The script of a RUN as the shell reads it: an escape character before a line break joins the lines,
 * and comment lines inside a continuation are dropped (as BuildKit does). Kept as runs of source text
 * with their offsets (not a map per character), so a long RUN costs memory in proportion to its lines.
 */
export function joinContinuations(raw: string, escape: string, base: number): Script {
  const parts: string[] = [];
  /** Start of each run in the joined text, and in the source. */
  const textStarts: number[] = [];
  const sourceStarts: number[] = [];
  let length = 0;
  let runStart = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > runStart) {
      textStarts.push(length);
      sourceStarts.push(base + runStart);
      parts.push(raw.slice(runStart, end));
      length += end - runStart;
    }
  };
  while (i < raw.length) {
    if (raw[i] !== escape) {
      i++;
      continue;
    }
    let k = i + 1;
    while (k < raw.length && (raw[k] === ' ' || raw[k] === '\t')) k++;
    if (raw[k] !== '\n' && raw[k] !== '\r') {
      i++;
      continue;
    }
    flush(i);
    k += raw[k] === '\r' && raw[k + 1] === '\n' ? 2 : 1;
    // Blank and comment lines inside a continuation are not part of the script.
    for (;;) {
      let m = k;
      while (m < raw.length && (raw[m] === ' ' || raw[m] === '\t')) m++;
      if (raw[m] === '#') {
        while (m < raw.length && raw[m] !== '\n' && raw[m] !== '\r') m++;
      } else if (raw[m] !== '\n' && raw[m] !== '\r') break;
      if (m >= raw.length) {
        k = m;
        break;
      }
      k = m + (raw[m] === '\r' && raw[m + 1] === '\n' ? 2 : 1);
    }
    i = k;
    runStart = k;
  }
  flush(raw.length);
  const text = parts.join('');
  return {
    text,
    offset(at: number): number {
      if (at >= length || !textStarts.length) return base + raw.length;
      // The last run starting at or before `at`.
      let lo = 0;
      let hi = textStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (textStarts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      return sourceStarts[lo] + (at - textStarts[lo]);
    },
  };
}

/**
 * Cuts a script into simple commands of expanded words. An unquoted expansion is split at blanks
 * (`apk add $PHPIZE_DEPS` adds each package); a command made only of assignments (`deps="a b"`) sets
 * those variables for the commands after it, unless its value comes from a command substitution.
 */
export function simpleCommands(script: string, scope: Variables): SimpleCommand[] {
  const vars = new Map(scope);
  /** Values the script itself assigned; undefined once a variable was given two different ones. */
  const assigned = new Map<string, string | undefined>();
  const out: SimpleCommand[] = [];
  let words: Word[] = [];
  let word = '';
  let inWord = false;
  let unresolved = false;
  let wordStart = 0;
  let start = -1;
  // Offset of the first `}` at or after a position asked about; script.length when there is none.
  let close = -1;
  const nextClose = (from: number): number => {
    if (close < from) {
      close = script.indexOf('}', from);
      if (close < 0) close = script.length;
    }
    return close;
  };
  const endWord = (): void => {
    if (inWord) words.push({ value: word, unresolved, start: wordStart });
    word = '';
    inWord = false;
    unresolved = false;
  };
  const endCommand = (op: string): void => {
    // `x=$(cmd)`: the word goes on inside the substitution, so its value is unknown here.
    if ((op === '$(' || op === '`') && inWord) unresolved = true;
    endWord();
    if (words.length && words.every((w) => assignmentName(w.value) !== undefined)) {
      for (const w of words) {
        const name = assignmentName(w.value)!;
        const value = w.value.slice(name.length + 1);
        // Set twice to different values (`case` branches, `if`/`else`): which one holds is unknown.
        const conflicting = assigned.has(name) && assigned.get(name) !== value;
        assigned.set(name, conflicting ? undefined : value);
        if (w.unresolved || conflicting || (assigned.has(name) && assigned.get(name) === undefined)) vars.delete(name);
        else vars.set(name, value);
      }
    }
    if (words.length) out.push({ words, start, next: op });
    words = [];
    start = -1;
  };
  const begin = (i: number): void => {
    if (!inWord) wordStart = i;
    inWord = true;
    if (start < 0) start = i;
  };
  /** Appends an expanded value; outside quotes its blanks separate words, as the shell splits it. */
  const append = (value: string, quoted: boolean): void => {
    if (quoted) {
      word += value;
      return;
    }
    let k = 0;
    while (k < value.length) {
      if (isBlank(value[k]) || value[k] === '\n') {
        endWord();
        k++;
        continue;
      }
      if (!inWord) {
        inWord = true;
        // Split words all point at the variable that produced them.
        wordStart = currentDollar;
      }
      word += value[k];
      k++;
    }
  };
  let currentDollar = 0;
  /** Expands the variable at `i` (a `$`); returns the offset after it. */
  const expand = (i: number, quoted = false): number => {
    currentDollar = i;
    if (script[i + 1] === '{') {
      let k = i + 2;
      while (isNameChar(script[k])) k++;
      const name = script.slice(i + 2, k);
      const c = nextClose(k);
      if (!name || c >= script.length) {
        word += '$';
        return i + 1;
      }
      const value = vars.get(name);
      let op = script[k] === ':' ? script[k + 1] : script[k];
      if (script[k] === '}') op = '';
      const fallback = script.slice(script[k] === ':' ? k + 2 : k + 1, c);
      if (op === '-' || op === '=') {
        append(value !== undefined && value !== '' ? value : fallback, quoted);
      } else if (op === '+') {
        append(value !== undefined && value !== '' ? fallback : '', quoted);
      } else if (op === '' && value !== undefined) {
        append(value, quoted);
      } else {
        // Unknown, or an operator (`${X%.*}`) whose result is not worth guessing.
        word += script.slice(i, c + 1);
        unresolved = true;
      }
      return c + 1;
    }
    let k = i + 1;
    while (isNameChar(script[k])) k++;
    if (k === i + 1) {
      word += '$';
      return i + 1;
    }
    const name = script.slice(i + 1, k);
    const value = vars.get(name);
    if (value !== undefined) append(value, quoted);
    else {
      word += script.slice(i, k);
      unresolved = true;
    }
    return k;
  };

  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i];
    if (isBlank(c)) {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && (script[i + 1] === '\n' || (script[i + 1] === '\r' && script[i + 2] === '\n'))) {
      // A line continuation left in the text (here-documents are not joined beforehand).
      i += script[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === '\\') {
      begin(i);
      if (i + 1 < n) word += script[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") {
      begin(i);
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? n : end;
      word += script.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      begin(i);
      i++;
      while (i < n && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < n) {
          const e = script[i + 1];
          word += e === '"' || e === '\\' || e === '$' || e === '`' ? e : `\\${e}`;
          i += 2;
        } else if (script[i] === '$' && script[i + 1] !== '(') {
          i = expand(i, true);
        } else {
          // A command substitution in quotes: its output is unknown.
          if ((script[i] === '$' && script[i + 1] === '(') || script[i] === '`') unresolved = true;
          word += script[i];
          i++;
        }
      }
      i++;
      continue;
    }
    if (c === '$' && script[i + 1] !== '(') {
      begin(i);
      i = expand(i);
      continue;
    }
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '$(' || two === ';;') {
      endCommand(two);
      i += 2;
      continue;
    }
    if (c === '&' && (script[i - 1] === '>' || script[i + 1] === '>')) {
      // `2>&1`, `&>file`: redirections, part of the word.
      begin(i);
      word += c;
      i++;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '\n' || c === '(' || c === ')' || c === '`') {
      endCommand(c);
      i++;
      continue;
    }
    begin(i);
    word += c;
    i++;
  }
  endCommand('');
  return out;
}

const WRAPPERS = new Set(['sudo', 'exec', 'env', 'nohup', 'time', 'command', 'nice', 'su-exec', 'gosu', 'chroot', 'xargs', 'eatmydata']);
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '{', '}', '!', 'fi', 'done']);

/** Index of the program a command runs: `VAR=x`, `sudo -E`, `env -i`, `if`, `then` are skipped. */
export function programIndex(words: readonly Word[]): number {
  let i = 0;
  while (i < words.length) {
    const v = words[i].value;
    const eq = v.indexOf('=');
    if ((eq > 0 && isAssignmentName(v.slice(0, eq))) || KEYWORDS.has(v)) i++;
    else if (WRAPPERS.has(v)) {
      i++;
      while (i < words.length && words[i].value.startsWith('-')) i++;
    } else break;
  }
  return i;
}

/** `NAME` of a `NAME=value` word, or undefined. */
function assignmentName(word: string): string | undefined {
  const eq = word.indexOf('=');
  return eq > 0 && isAssignmentName(word.slice(0, eq)) ? word.slice(0, eq) : undefined;
}

function isAssignmentName(name: string): boolean {
  for (let k = 0; k < name.length; k++) if (!isNameChar(name[k])) return false;
  return !(name[0] >= '0' && name[0] <= '9');
}

/** `/usr/bin/pip3` → `pip3`. */
export function programName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}
