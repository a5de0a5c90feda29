/**
 * What one simple command installs, by package manager: `apt-get install`, `apk add`, `dnf install`,
 * `pip install`, `npm install`, `gem install`, `go install`, `cargo install`... Each parser knows which
 * of its tool's options take a value, so `apk add --virtual .deps gcc` adds gcc and not `.deps`.
 */
import type { Component, Evidence, Hash } from './model';
import { purl } from './purl';
import { programName, Word } from './shell';

/** The distribution a stage is built on, as far as its base image tells (the purl namespace). */
export interface Distro {
  readonly deb?: string;
  readonly rpm?: string;
  readonly apk?: string;
}

export interface CommandContext {
  /** Where the command starts. */
  readonly evidence: Evidence;
  /** Where one of its words is (a package on a continuation line gets its own line). */
  readonly at: (word: Word) => Evidence;
  readonly distro: Distro;
}

/** What a command installs, and which packages (or `apk --virtual` groups) it removes. */
export interface CommandPackages {
  readonly installs: Component[];
  readonly removes: string[];
}

const NONE: CommandPackages = { installs: [], removes: [] };

/** Options of each tool that take the next word as their value. */
const APT_VALUED = new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file', '-a', '--host-architecture']);
const APK_VALUED = new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '-U0']);
const RPM_VALUED = new Set([
  '--setopt',
  '--enablerepo',
  '--disablerepo',
  '--installroot',
  '--releasever',
  '--repo',
  '--repoid',
  '--exclude',
  '-x',
  '--forcearch',
  '--config',
  '-c',
  '--nobest0',
]);
const PIP_VALUED = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--trusted-host',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--only-binary',
  '--no-binary',
  '--progress-bar',
  '--cache-dir',
  '--src',
  '--upgrade-strategy',
  '--log',
  '--timeout',
  '--retries',
  '--proxy',
  '-C',
  '--config-settings',
  '--global-option',
  '--report',
  '--python',
  '--cert',
  '--client-cert',
  '--exists-action',
  '--root-user-action',
]);
const NPM_VALUED = new Set([
  '--prefix',
  '--registry',
  '--omit',
  '--include',
  '--cache',
  '--userconfig',
  '--tag',
  '--loglevel',
  '-w',
  '--workspace',
  '--network-timeout',
  '--modules-folder',
  '--filter',
  '--dir',
  '-C',
  '--store-dir',
]);
const GEM_VALUED = new Set([
  '-v',
  '--version',
  '-s',
  '--source',
  '-i',
  '--install-dir',
  '-n',
  '--bindir',
  '--platform',
  '-P',
  '--trust-policy',
  '--document',
  '-g',
  '--file',
]);
const CARGO_VALUED = new Set([
  '--version',
  '--vers',
  '--git',
  '--branch',
  '--tag',
  '--rev',
  '--path',
  '--root',
  '--registry',
  '--index',
  '-F',
  '--features',
  '--bin',
  '--example',
  '--target',
  '--target-dir',
  '-j',
  '--jobs',
  '--profile',
  '--config',
  '-Z',
  '--color',
]);

/** Operands of a command: the words that are not options nor option values. */
function operands(args: readonly Word[], valued: ReadonlySet<string>): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (isRedirection(v)) {
      // `>/dev/null`, `2>&1`; a bare `>` takes the next word.
      if (v === '>' || v === '>>' || v === '<' || v === '2>') i++;
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      if (valued.has(v)) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

function isRedirection(v: string): boolean {
  const c = v[0];
  return c === '>' || c === '<' || (c >= '0' && c <= '9' && (v[1] === '>' || v[1] === '<'));
}

function optionValue(args: readonly Word[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    for (const name of names) {
      if (v === name) return args[i + 1]?.value;
      if (v.startsWith(`${name}=`)) return v.slice(name.length + 1);
    }
  }
  return undefined;
}

const isUrl = (v: string): boolean => v.startsWith('https://') || v.startsWith('http://') || v.startsWith('ftp://');
const isVcs = (v: string): boolean => v.startsWith('git+') || v.startsWith('git://') || v.startsWith('hg+') || v.startsWith('svn+') || v.startsWith('bzr+');
const isLocalPath = (v: string): boolean => v === '.' || v.startsWith('./') || v.startsWith('../') || v.startsWith('/') || v.startsWith('~');

/** A component fetched by URL: a download whose name is the URL's last path segment. */
export function downloadComponent(url: string, tool: string, evidence: Evidence, hashes: Hash[] = [], unresolved = false): Component {
  const name = urlFileName(url);
  const checksum = hashes[0] ? `${hashes[0].algorithm.replace('-', '').toLowerCase()}:${hashes[0].value}` : undefined;
  return {
    kind: 'download',
    name,
    tool,
    url,
    hashes,
    evidence,
    purl: purl('generic', undefined, name, undefined, { download_url: url, checksum }),
    ...(unresolved ? { unresolved } : {}),
  };
}

/** `https://x/y/tool-1.2.tar.gz?raw=1#frag` → `tool-1.2.tar.gz`; the host when there is no path. */
export function urlFileName(url: string): string {
  let end = url.length;
  for (const sep of ['?', '#']) {
    const k = url.indexOf(sep);
    if (k >= 0 && k < end) end = k;
  }
  let path = url.slice(0, end);
  while (path.endsWith('/')) path = path.slice(0, -1);
  const scheme = path.indexOf('://');
  const slash = path.lastIndexOf('/');
  return slash > scheme + 2 ? path.slice(slash + 1) : path.slice(scheme >= 0 ? scheme + 3 : 0);
}

function pkg(
  kind: 'os-package' | 'language-package',
  tool: string,
  type: string,
  namespace: string | undefined,
  name: string,
  ctx: CommandContext,
  version: string | undefined,
  requested: string | undefined,
  word: Word,
  qualifiers?: Record<string, string | undefined>,
): Component {
  const unresolved = word.unresolved;
  return {
    kind,
    name,
    ...(version ? { version } : {}),
    ...(requested ? { requested } : {}),
    tool,
    purl: purl(type, namespace, name, version, qualifiers),
    hashes: [],
    evidence: ctx.at(word),
    ...(unresolved ? { unresolved } : {}),
  };
}

/** `pkg=1.2`, `pkg:amd64=1.2`, `pkg/bookworm-backports` (apt). */
function aptPackage(word: Word, tool: string, ctx: CommandContext): Component | undefined {
  let spec = word.value;
  if (!spec || spec.endsWith('.deb') || isLocalPath(spec) || spec.includes('*') || spec.includes('?')) return undefined;
  let version: string | undefined;
  const eq = spec.indexOf('=');
  if (eq > 0) {
    version = spec.slice(eq + 1) || undefined;
    spec = spec.slice(0, eq);
  }
  let release: string | undefined;
  const slash = spec.indexOf('/');
  if (slash > 0) {
    release = spec.slice(slash + 1);
    spec = spec.slice(0, slash);
  }
  let arch: string | undefined;
  const colon = spec.indexOf(':');
  if (colon > 0) {
    arch = spec.slice(colon + 1);
    spec = spec.slice(0, colon);
  }
  // A trailing `-` asks apt to remove the package, not to install it.
  if (!spec || spec.endsWith('-') || spec.endsWith('+')) return undefined;
  return pkg('os-package', tool, 'deb', ctx.distro.deb, spec, ctx, version, release ? `/${release}` : undefined, word, { arch });
}

/** `pkg=1.2-r0` (exact), `pkg~1.2`, `pkg>1.2`, `pkg<1.2` (constraints). */
function apkPackage(word: Word, ctx: CommandContext): Component | undefined {
  const spec = word.value;
  if (!spec || spec.endsWith('.apk') || isLocalPath(spec) || spec.startsWith('.')) return undefined;
  let cut = spec.length;
  for (let k = 0; k < spec.length; k++) {
    const c = spec[k];
    if (c === '=' || c === '~' || c === '>' || c === '<') {
      cut = k;
      break;
    }
  }
  const name = spec.slice(0, cut);
  const at = name.indexOf('@');
  const bare = at > 0 ? name.slice(0, at) : name; // `pkg@edge` names a repository tag
  if (!bare) return undefined;
  const constraint = spec.slice(cut);
  const exact = constraint.startsWith('=') && constraint[1] !== '=' ? constraint.slice(1) : undefined;
  return pkg('os-package', 'apk', 'apk', ctx.distro.apk, bare, ctx, exact, exact ? undefined : constraint || undefined, word);
}

/** `nginx`, `nginx-1.24.0-1.el9`: a version when every dash-separated part after a name starts with a digit. */
function rpmPackage(word: Word, tool: string, ctx: CommandContext): Component | undefined {
  const spec = word.value;
  if (!spec || spec.startsWith('@') || spec.endsWith('.rpm') || isLocalPath(spec) || spec.includes('*')) return undefined;
  const parts = spec.split('-');
  let first = parts.length;
  for (let k = parts.length - 1; k >= 1; k--) {
    const c = parts[k][0];
    if (c !== undefined && c >= '0' && c <= '9') first = k;
    else break;
  }
  // At most epoch-version-release: `java-17-openjdk` has a non-digit part after `17`, so it stays a name.
  const name = first < parts.length && parts.length - first <= 2 ? parts.slice(0, first).join('-') : spec;
  const version = name === spec ? undefined : parts.slice(first).join('-');
  return pkg('os-package', tool, 'rpm', ctx.distro.rpm, name, ctx, version, undefined, word);
}

/** PEP 508 enough for a command line: `name[extra]==1.2; marker`, `name>=1`, `name~=2`. */
function pipPackage(word: Word, tool: string, ctx: CommandContext): Component | undefined {
  const spec = word.value.trim();
  if (!spec || isLocalPath(spec) || spec.endsWith('.whl') || spec.endsWith('.tar.gz') || spec.endsWith('.zip')) return undefined;
  let cut = spec.length;
  for (let k = 0; k < spec.length; k++) {
    const c = spec[k];
    if (c === '=' || c === '<' || c === '>' || c === '!' || c === '~' || c === '[' || c === ';' || c === ' ' || c === '@') {
      cut = k;
      break;
    }
  }
  const raw = spec.slice(0, cut);
  if (!raw) return undefined;
  let rest = spec.slice(cut);
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    rest = close >= 0 ? rest.slice(close + 1) : '';
  }
  const semi = rest.indexOf(';');
  if (semi >= 0) rest = rest.slice(0, semi);
  rest = rest.trim();
  // `name @ https://…`: a direct reference, a download rather than an index package.
  if (rest.startsWith('@')) return undefined;
  const exact = rest.startsWith('==') && !rest.includes(',') && !rest.includes('*') ? rest.slice(2).trim() : undefined;
  const name = normalizePypiName(raw);
  return pkg('language-package', tool, 'pypi', undefined, name, ctx, exact, exact ? undefined : rest || undefined, word);
}

/** PEP 503 normalisation, as the purl spec asks for pypi: lower case, runs of `-_.` as one `-`. */
export function normalizePypiName(name: string): string {
  let out = '';
  let sep = false;
  for (const c of name.toLowerCase()) {
    if (c === '-' || c === '_' || c === '.') sep = true;
    else {
      if (sep && out) out += '-';
      sep = false;
      out += c;
    }
  }
  return out;
}

const isExactSemver = (v: string): boolean => {
  if (!v) return false;
  const c = v[0];
  if (!(c >= '0' && c <= '9')) return false;
  for (const ch of v)
    if (ch === ' ' || ch === '|' || ch === '*' || ch === 'x' || ch === 'X' || ch === '<' || ch === '>' || ch === '^' || ch === '~') return false;
  return true;
};

/** `name`, `name@1.2.3`, `@scope/name@^2`. Git, file and tarball specs are not registry packages. */
function npmPackage(word: Word, tool: string, ctx: CommandContext): Component | undefined {
  const spec = word.value;
  if (!spec || isLocalPath(spec) || spec.includes(':') || spec.endsWith('.tgz')) return undefined;
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const full = at > 0 ? spec.slice(0, at) : spec;
  const range = at > 0 ? spec.slice(at + 1) : '';
  if (!full || full.endsWith('/')) return undefined;
  // `user/repo` without a scope is a GitHub shorthand, not a registry name.
  if (!full.startsWith('@') && full.includes('/')) return undefined;
  const slash = full.indexOf('/');
  const namespace = full.startsWith('@') && slash > 0 ? full.slice(0, slash) : undefined;
  const name = namespace ? full.slice(slash + 1) : full;
  const exact = isExactSemver(range) ? range : undefined;
  const c = pkg('language-package', tool, 'npm', namespace, name, ctx, exact, exact ? undefined : range || undefined, word);
  return { ...c, name: full };
}

function withTool(components: (Component | undefined)[]): Component[] {
  return components.filter((c): c is Component => c !== undefined);
}

function urlsAndPackages(ops: Word[], tool: string, ctx: CommandContext, parse: (w: Word) => Component | undefined): Component[] {
  return withTool(ops.map((w) => (isUrl(w.value) || isVcs(w.value) ? downloadComponent(stripVcs(w.value), tool, ctx.at(w), [], w.unresolved) : parse(w))));
}

function stripVcs(v: string): string {
  return isVcs(v) && v.indexOf('+') > 0 && v.indexOf('+') < v.indexOf(':') ? v.slice(v.indexOf('+') + 1) : v;
}

/** What the command whose program is `words[p]` installs or removes. */
export function packagesOf(words: readonly Word[], p: number, ctx: CommandContext): CommandPackages {
  const prog = programName(words[p]?.value ?? '');
  const args = words.slice(p + 1);
  const sub = args.find((a) => !a.value.startsWith('-'))?.value;
  switch (prog) {
    case 'apt-get':
    case 'apt':
    case 'aptitude': {
      const ops = operands(args, APT_VALUED);
      const verb = ops[0]?.value;
      if (verb === 'install') return { installs: withTool(ops.slice(1).map((w) => aptPackage(w, prog, ctx))), removes: [] };
      if (verb === 'remove' || verb === 'purge') return { installs: [], removes: ops.slice(1).map((w) => w.value) };
      return NONE;
    }
    case 'apk': {
      const ops = operands(args, APK_VALUED);
      const verb = ops[0]?.value;
      if (verb === 'add') {
        const group = optionValue(args, ['-t', '--virtual']);
        const installs = urlsAndPackages(ops.slice(1), 'apk', ctx, (w) => apkPackage(w, ctx));
        return { installs: group ? installs.map((c) => ({ ...c, group })) : installs, removes: [] };
      }
      if (verb === 'del') return { installs: [], removes: ops.slice(1).map((w) => w.value) };
      return NONE;
    }
    case 'dnf':
    case 'dnf5':
    case 'yum':
    case 'microdnf':
    case 'tdnf':
    case 'zypper': {
      const ops = operands(args, RPM_VALUED);
      const verb = ops[0]?.value;
      if (verb === 'install' || verb === 'in') return { installs: urlsAndPackages(ops.slice(1), prog, ctx, (w) => rpmPackage(w, prog, ctx)), removes: [] };
      if (verb === 'remove' || verb === 'erase' || verb === 'rm') return { installs: [], removes: ops.slice(1).map((w) => w.value) };
      return NONE;
    }
    case 'pip':
    case 'pip3':
    case 'pipx':
      return sub === 'install' ? { installs: pipInstall(args, prog, ctx), removes: [] } : NONE;
    case 'python':
    case 'python3':
    case 'uv': {
      // `python -m pip install …`, `uv pip install …`
      const k = prog === 'uv' ? args.findIndex((a) => a.value === 'pip') : args.findIndex((a, i) => a.value === 'pip' && args[i - 1]?.value === '-m');
      if (k < 0 || args[k + 1]?.value !== 'install') return NONE;
      return { installs: pipInstall(args.slice(k + 1), prog === 'uv' ? 'uv pip' : 'pip', ctx), removes: [] };
    }
    case 'npm':
    case 'pnpm':
    case 'yarn':
      return { installs: jsInstall(prog, args, ctx), removes: [] };
    case 'gem':
      return sub === 'install' ? { installs: gemInstall(args, ctx), removes: [] } : NONE;
    case 'go':
      return sub === 'install' ? { installs: goInstall(args, ctx), removes: [] } : NONE;
    case 'cargo':
      return sub === 'install' ? { installs: cargoInstall(args, ctx), removes: [] } : NONE;
    default:
      if (prog.startsWith('pip3.') || (prog.startsWith('python3.') && args.some((a, i) => a.value === 'pip' && args[i - 1]?.value === '-m'))) {
        const k = args.findIndex((a) => a.value === 'install');
        return k >= 0 ? { installs: pipInstall(args.slice(k), 'pip', ctx), removes: [] } : NONE;
      }
      return NONE;
  }
}

/** The requirement files a `pip install -r FILE` reads (their packages are not on the command line). */
export function pipRequirementFiles(words: readonly Word[], p: number): string[] {
  const out: string[] = [];
  for (let i = p + 1; i < words.length; i++) {
    const v = words[i].value;
    if ((v === '-r' || v === '--requirement') && words[i + 1]) out.push(words[++i].value);
    else if (v.startsWith('--requirement=')) out.push(v.slice('--requirement='.length));
    else if (v.startsWith('-r') && v.length > 2 && v[2] !== '-') out.push(v.slice(2));
  }
  return out;
}

function pipInstall(args: readonly Word[], tool: string, ctx: CommandContext): Component[] {
  const ops = operands(args, PIP_VALUED).slice(1);
  const out = urlsAndPackages(ops, tool, ctx, (w) => pipPackage(w, tool, ctx));
  // `-e git+https://…#egg=x` installs from a repository.
  for (let i = 0; i < args.length; i++) {
    if ((args[i].value === '-e' || args[i].value === '--editable') && args[i + 1] && (isVcs(args[i + 1].value) || isUrl(args[i + 1].value))) {
      out.push(downloadComponent(stripVcs(args[i + 1].value), tool, ctx.at(args[i + 1]), [], args[i + 1].unresolved));
    }
  }
  return out;
}

function jsInstall(prog: string, args: readonly Word[], ctx: CommandContext): Component[] {
  const ops = operands(args, NPM_VALUED);
  let k = 0;
  if (prog === 'yarn' && ops[0]?.value === 'global') k = 1;
  const verb = ops[k]?.value;
  const adds =
    prog === 'npm'
      ? verb === 'install' || verb === 'i' || verb === 'add' || verb === 'in'
      : verb === 'add' || (prog === 'pnpm' && (verb === 'install' || verb === 'i'));
  if (!adds) return [];
  return withTool(
    ops.slice(k + 1).map((w) => {
      const v = w.value;
      if (isUrl(v) || v.startsWith('git+') || v.startsWith('git://') || v.startsWith('github:'))
        return downloadComponent(stripVcs(v), prog, ctx.at(w), [], w.unresolved);
      return npmPackage(w, prog, ctx);
    }),
  );
}

function gemInstall(all: readonly Word[], ctx: CommandContext): Component[] {
  // After `--` come the gem's build options (`-- --use-system-libraries`), not more gems.
  const dashes = all.findIndex((a) => a.value === '--');
  const args = dashes >= 0 ? all.slice(0, dashes) : all;
  const ops = operands(args, GEM_VALUED).slice(1);
  const pinned = optionValue(args, ['-v', '--version']);
  const out: Component[] = [];
  for (const w of ops) {
    const v = w.value;
    if (!v || isLocalPath(v) || v.endsWith('.gem')) continue;
    // `gem install rails:7.1.3`
    const colon = v.indexOf(':');
    const name = colon > 0 ? v.slice(0, colon) : v;
    const version = colon > 0 ? v.slice(colon + 1) : ops.length === 1 ? pinned : undefined;
    const exact = version && isExactSemver(version) ? version : undefined;
    out.push(pkg('language-package', 'gem', 'gem', undefined, name, ctx, exact, exact ? undefined : version, w));
  }
  return out;
}

/** `go install golang.org/x/tools/gopls@v0.16.1`: the package path, the module version. */
function goInstall(args: readonly Word[], ctx: CommandContext): Component[] {
  const out: Component[] = [];
  for (const w of operands(args, new Set(['-o', '-tags', '-ldflags', '-gcflags', '-p', '-mod', '-modfile', '-C', '-pkgdir', '-overlay'])).slice(1)) {
    const v = w.value;
    const at = v.lastIndexOf('@');
    if (at <= 0 || isLocalPath(v)) continue; // without @version it builds the local module
    const path = v.slice(0, at);
    const version = v.slice(at + 1);
    const exact = version && version !== 'latest' && version !== 'master' && version !== 'main' ? version : undefined;
    const slash = path.lastIndexOf('/');
    const namespace = slash > 0 ? path.slice(0, slash) : undefined;
    const name = slash > 0 ? path.slice(slash + 1) : path;
    const c = pkg('language-package', 'go', 'golang', namespace, name, ctx, exact, exact ? undefined : version, w);
    out.push({ ...c, name: path });
  }
  return out;
}

function cargoInstall(args: readonly Word[], ctx: CommandContext): Component[] {
  const git = optionValue(args, ['--git']);
  if (git) return [downloadComponent(git, 'cargo', ctx.evidence)];
  if (optionValue(args, ['--path'])) return [];
  const pinned = optionValue(args, ['--version', '--vers']);
  const ops = operands(args, CARGO_VALUED).slice(1);
  const out: Component[] = [];
  for (const w of ops) {
    const at = w.value.indexOf('@');
    const name = at > 0 ? w.value.slice(0, at) : w.value;
    if (!name || isLocalPath(name)) continue;
    let version = at > 0 ? w.value.slice(at + 1) : ops.length === 1 ? pinned : undefined;
    if (version?.startsWith('=')) version = version.slice(1);
    const exact = version && isExactSemver(version) ? version : undefined;
    out.push(pkg('language-package', 'cargo', 'cargo', undefined, name, ctx, exact, exact ? undefined : version, w));
  }
  return out;
}
