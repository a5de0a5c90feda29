/**
 * Files a RUN fetches outside a package manager (`curl`, `wget`, `git clone`), and the checksums the
 * same RUN verifies them with (`echo "<sha256>  file" | sha256sum -c -`).
 */
import type { Component, Evidence, Hash } from './model';
import { downloadComponent, urlFileName } from './packages';
import { programIndex, programName, SimpleCommand, Word } from './shell';

/** Options whose value is a URL that is not what is downloaded (a proxy, a referer). */
const CURL_VALUED = new Set([
  '-o',
  '--output',
  '-x',
  '--proxy',
  '-e',
  '--referer',
  '-H',
  '--header',
  '-u',
  '--user',
  '-d',
  '--data',
  '-A',
  '--user-agent',
  '-w',
  '--write-out',
  '--cacert',
  '-E',
  '--cert',
  '-T',
  '--upload-file',
  '-b',
  '--cookie',
  '-c',
  '--cookie-jar',
  '--resolve',
  '--connect-to',
  '--url-query',
  '-F',
  '--form',
  '--data-binary',
  '--data-raw',
  '--data-urlencode',
]);
const WGET_VALUED = new Set([
  '-O',
  '--output-document',
  '-e',
  '--execute',
  '--header',
  '-U',
  '--user-agent',
  '--referer',
  '-P',
  '--directory-prefix',
  '-o',
  '--output-file',
  '-a',
  '--append-output',
  '--ca-certificate',
  '--certificate',
  '--post-data',
  '--user',
  '--password',
  '--http-user',
  '--http-password',
  '-i',
  '--input-file',
]);
const GIT_CLONE_VALUED = new Set([
  '-b',
  '--branch',
  '--depth',
  '-o',
  '--origin',
  '-c',
  '--config',
  '--reference',
  '--separate-git-dir',
  '-j',
  '--jobs',
  '--filter',
  '--shallow-since',
  '--shallow-exclude',
  '-u',
  '--upload-pack',
  '--template',
]);

export interface PendingDownload {
  readonly component: Component;
  /** The file name it is saved under, to match a later checksum line. */
  readonly savedAs: string;
}

const HASH_PROGRAMS: Record<string, Hash['algorithm']> = { sha1sum: 'SHA-1', sha256sum: 'SHA-256', sha384sum: 'SHA-384', sha512sum: 'SHA-512' };
const HEX_LENGTH: Record<Hash['algorithm'], number> = { 'SHA-1': 40, 'SHA-256': 64, 'SHA-384': 96, 'SHA-512': 128 };

const isHttpUrl = (v: string): boolean => v.startsWith('https://') || v.startsWith('http://') || v.startsWith('ftp://');

function baseName(path: string): string {
  let p = path;
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p.slice(p.lastIndexOf('/') + 1);
}

function optionValue(args: readonly Word[], short: string, long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === short || v === long) return args[i + 1]?.value;
    if (v.startsWith(`${long}=`)) return v.slice(long.length + 1);
    if (short.length === 2 && v.startsWith(short) && v.length > 2 && !v.startsWith('--')) return v.slice(2);
    // A cluster of short flags ending in this one (`curl -fsSLo FILE`) takes the next word.
    if (short.length === 2 && !v.startsWith('--') && v.length > 2 && v.endsWith(short[1]) && isLetters(v.slice(1))) return args[i + 1]?.value;
  }
  return undefined;
}

/** URLs a `curl`, `wget` or `git clone` command fetches. */
export function downloadsOf(words: readonly Word[], p: number, at: (w: Word) => Evidence): PendingDownload[] {
  const prog = programName(words[p]?.value ?? '');
  const args = words.slice(p + 1);
  const out: PendingDownload[] = [];
  const urls = (valued: ReadonlySet<string>): Word[] => {
    const found: Word[] = [];
    for (let i = 0; i < args.length; i++) {
      const v = args[i].value;
      if (valued.has(v)) i++;
      else if (isHttpUrl(v) || (prog === 'git' && (v.includes('://') || v.startsWith('git@')))) found.push(args[i]);
    }
    return found;
  };
  if (prog === 'curl') {
    const output = optionValue(args, '-o', '--output');
    for (const u of urls(CURL_VALUED)) {
      out.push({
        component: downloadComponent(u.value, 'curl', at(u), [], u.unresolved),
        savedAs: output && output !== '-' ? baseName(output) : urlFileName(u.value),
      });
    }
  } else if (prog === 'wget') {
    const output = optionValue(args, '-O', '--output-document');
    for (const u of urls(WGET_VALUED)) {
      out.push({
        component: downloadComponent(u.value, 'wget', at(u), [], u.unresolved),
        savedAs: output && output !== '-' ? baseName(output) : urlFileName(u.value),
      });
    }
  } else if (prog === 'git' && args.find((a) => !a.value.startsWith('-'))?.value === 'clone') {
    const branch = optionValue(args, '-b', '--branch');
    for (const u of urls(GIT_CLONE_VALUED)) {
      const c = downloadComponent(u.value, 'git clone', at(u), [], u.unresolved);
      out.push({ component: branch ? { ...c, requested: branch } : c, savedAs: urlFileName(u.value) });
    }
  }
  return out;
}

/**
 * `echo "<hex>  <file>" | sha256sum -c -` (or `-c`, `--check`, `--strict`): the checksum stated for
 * `file`. The commands are those of one RUN; `k` is the index of the `echo`.
 */
export function checksumAt(commands: readonly SimpleCommand[], k: number): { file: string; hash: Hash } | undefined {
  const cmd = commands[k];
  const next = commands[k + 1];
  if (!next || cmd.next !== '|') return undefined;
  const p = programIndex(cmd.words);
  const prog = programName(cmd.words[p]?.value ?? '');
  if (prog !== 'echo' && prog !== 'printf') return undefined;
  const q = programIndex(next.words);
  const checker = programName(next.words[q]?.value ?? '');
  const nextArgs = next.words.slice(q + 1).map((w) => w.value);
  let algorithm: Hash['algorithm'] | undefined = Object.hasOwn(HASH_PROGRAMS, checker) ? HASH_PROGRAMS[checker] : undefined;
  if (checker === 'shasum') {
    const a = optionValue(next.words.slice(q + 1), '-a', '--algorithm');
    algorithm = a === '256' ? 'SHA-256' : a === '512' ? 'SHA-512' : a === '384' ? 'SHA-384' : a === '1' || a === undefined ? 'SHA-1' : undefined;
  }
  if (!algorithm || !nextArgs.some((a) => a === '-c' || a === '--check' || (a.startsWith('-c') && !a.startsWith('--')))) return undefined;
  // The echoed text, as one string split on blanks: `<hex> [*]<file>`.
  const parts = cmd.words
    .slice(p + 1)
    .filter((w) => !w.value.startsWith('-'))
    .flatMap((w) => w.value.split(/[ \t]+/))
    .filter((s) => s !== '');
  if (parts.length < 2) return undefined;
  const hex = parts[0].toLowerCase();
  if (hex.length !== HEX_LENGTH[algorithm] || !isHex(hex)) return undefined;
  let file = parts[parts.length - 1];
  if (file.startsWith('*')) file = file.slice(1);
  return { file: baseName(file), hash: { algorithm, value: hex } };
}

function isLetters(s: string): boolean {
  for (const c of s) if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

function isHex(s: string): boolean {
  for (const c of s) if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

/** `--checksum=sha256:<hex>` of ADD. */
export function parseChecksumFlag(value: string | null | undefined): Hash | undefined {
  if (!value) return undefined;
  const colon = value.indexOf(':');
  const alg = value.slice(0, colon).toLowerCase();
  const hex = value.slice(colon + 1).toLowerCase();
  const algorithm: Hash['algorithm'] | undefined = alg === 'sha256' ? 'SHA-256' : alg === 'sha384' ? 'SHA-384' : alg === 'sha512' ? 'SHA-512' : undefined;
  if (!algorithm || hex.length !== HEX_LENGTH[algorithm] || !isHex(hex)) return undefined;
  return { algorithm, value: hex };
}
