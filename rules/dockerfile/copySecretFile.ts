import type { DockerfileRule } from '../../server/src/engine/rule';
import type { Instruction } from 'dockerfile-ast';
import { argEnvInstructions, flagsOf, keyword, pathArguments, runScripts, scriptSpan, unquote, commandsOf, stageInstructionList } from './shared';
import { propertiesOf } from './secretInArgEnv';
import { withoutTrailingSlashes } from '../text';

interface SecretFile {
  test: (path: string, base: string) => boolean;
  what: string;
}

const SECRET_FILES: readonly SecretFile[] = [
  {
    what: 'an environment file with secrets',
    test: (_p, b) =>
      /^\.env\*?$/.test(b) ||
      /^\.env(?:\.(?!example$|sample$|template$|dist$|defaults?$|tpl$|schema$|test$|ci$)[\w-]+)?$/i.test(b) ||
      (/^[\w-]+\.env$/i.test(b) && !/^(?:example|sample|template|default)\b/i.test(b)),
  },
  { what: 'a private SSH key', test: (_p, b) => /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/.test(b) },
  { what: 'an SSH directory', test: (p) => /(?:^|\/)\.ssh\/?$/.test(p) },
  {
    what: 'a private key',
    test: (_p, b) =>
      (/\.key$/i.test(b) && !/sign|gpg|pgp|pub|repo|apt|release|archive|keyring/i.test(b)) ||
      (/\.pem$/i.test(b) && /(?:key|priv)/i.test(b)) ||
      /\.(?:p12|pfx)$/i.test(b),
  },
  { what: 'an npm credentials file', test: (_p, b) => b === '.npmrc' },
  { what: 'a PyPI credentials file', test: (_p, b) => b === '.pypirc' },
  { what: 'a netrc credentials file', test: (_p, b) => b === '.netrc' || b === '_netrc' },
  { what: 'git credentials', test: (_p, b) => b === '.git-credentials' },
  { what: 'AWS credentials', test: (p) => /(?:^|\/)\.aws(?:\/(?:credentials|config)?)?\/?$/.test(p) },
  { what: 'Docker registry credentials', test: (p) => /(?:^|\/)\.docker\/config\.json$/.test(p) || /(?:^|\/)\.docker\/?$/.test(p) },
  { what: 'a kubeconfig', test: (p, b) => /^kubeconfig(?:\.ya?ml)?$/i.test(b) || /(?:^|\/)\.kube(?:\/config)?\/?$/.test(p) },
  { what: 'a Google service-account key', test: (_p, b) => /^(?:service[-_]?account|gcp[-_]?(?:key|credentials)|credentials)(?:[-_][\w-]+)?\.json$/i.test(b) },
];

/**
 * Text some test of SECRET_FILES needs in the path, in any case (`.env`, `id_`, `.ssh`, `.key`, `.pem`,
 * `.p12`, `.pfx`, `credentials`, `.aws`, `.docker`, `kube`, `.json`); none has a slash, so it is the same
 * in the path as written. The rc files (`.npmrc`, `.pypirc`, `.netrc`, `_netrc`) are tested as the whole
 * base name, which ends the path but for trailing slashes (`/`, or `\` before it becomes `/`; the base
 * is cut at the last slash, and only a leading `./` is removed): their names are asked for there, so
 * `src/` and `/etc/rc.d` do not pass. Most sources (`.`, `src/`, `package.json`… has `.json`) are told
 * apart by this one test instead of a dozen.
 */
const SECRET_FILE_PARTS = /env|id_|\.ssh|\.key|\.pem|\.p12|\.pfx|(?:\.npm|\.pypi|[._]net)rc[\\/]*$|credentials|\.aws|\.docker|kube|\.json/i;

/** What secret file `path` is, if any. */
export function secretFileKind(path: string): string | undefined {
  if (!SECRET_FILE_PARTS.test(path)) return undefined;
  const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
  if (p.includes('$')) return undefined;
  const base = withoutTrailingSlashes(p).split('/').pop() ?? '';
  if (/\.pub$/i.test(base)) return undefined;
  return SECRET_FILES.find((f) => f.test(p, base))?.what;
}

/** Variables that name a credential file for a cloud SDK (Trivy DS-0031 reads the same ones). */
const CREDENTIAL_FILE_VARIABLES = new Set([
  'GOOGLE_APPLICATION_CREDENTIALS',
  'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AZURE_AUTH_LOCATION',
  'AZURE_CLIENT_CERTIFICATE_PATH',
]);

/** Credential-file paths the Dockerfile's ARG and ENV instructions name through those variables, by path. */
function credentialFileVariables(argEnv: readonly Instruction[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const instr of argEnv) {
    for (const prop of propertiesOf(instr)) {
      // The name first: most variables are none of these, and their values are not read.
      if (!CREDENTIAL_FILE_VARIABLES.has(prop.getName())) continue;
      const raw = prop.getValue();
      if (raw === null) continue;
      const value = unquote(raw);
      if (value.startsWith('/') && !value.includes('$')) out.set(value, prop.getName());
    }
  }
  return out;
}

/** The file a COPY puts at `dest` for source `src` (`dest/` keeps the source's name). */
function copiedTo(src: string, dest: string): string {
  if (!dest.endsWith('/')) return dest;
  return `${dest}${withoutTrailingSlashes(src).split('/').pop() ?? ''}`;
}

/** Secret mount targets of a RUN (`--mount=type=secret,target=/x`; default `/run/secrets/<id>`). */
function secretTargets(instr: Instruction): string[] {
  const out: string[] = [];
  for (const f of flagsOf(instr)) {
    if (f.name !== 'mount' || !f.value) continue;
    const opts = new Map(f.value.split(',').map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)] as [string, string]));
    if (opts.get('type') !== 'secret') continue;
    const target = opts.get('target') ?? opts.get('dst') ?? opts.get('destination') ?? (opts.has('id') ? `/run/secrets/${opts.get('id')}` : undefined);
    if (target) out.push(target);
  }
  return out;
}

export const dockerfileCopySecretFile: DockerfileRule = {
  id: 'dockerfile-copy-secret-file',
  language: 'dockerfile',
  title: 'Secret file copied into the image',
  category: 'dockerfile',
  severity: 'error',
  description:
    'A `COPY` or `ADD` puts a credential file into an image layer: `.env`, an SSH private key (`id_rsa`, ' +
    '`id_ed25519`, `.ssh/`), a private key (`*.key`, `*key*.pem`, `*.p12`), `.npmrc`, `.pypirc`, `.netrc`, ' +
    '`.git-credentials`, `.aws/credentials`, `.docker/config.json` or a kubeconfig. Layers are immutable: ' +
    'deleting the file in a later `RUN` does not remove it, and in a builder stage it still lands in the build ' +
    'cache. A file copied to the path a credential variable names (`GOOGLE_APPLICATION_CREDENTIALS`, ' +
    '`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, ...) is one too, whatever its name, and so is the key file ' +
    '`gcloud ... --key-file` reads in a RUN without a secret mount for it. Templates (`.env.example`) and public ' +
    'keys (`*.pub`) are not flagged.',
  remediation:
    'Mount the file only for the step that needs it: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` ' +
    '(`docker build --secret id=npmrc,src=$HOME/.npmrc`), or `RUN --mount=type=ssh` for SSH keys. List such files ' +
    'in `.dockerignore` so `COPY . .` cannot pick them up either.',
  references: ['trivy:DS-0031'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/secrets/',
  check(ctx) {
    const model = ctx.dockerfile;
    // Every ARG and ENV: the preamble's and the stages'.
    const credentialPaths = credentialFileVariables(argEnvInstructions(model));
    for (const instr of stageInstructionList(model)) {
      const kw = keyword(instr);
      if (kw !== 'COPY' && kw !== 'ADD') continue;
      const args = pathArguments(instr);
      const dest = args.length > 0 ? args[args.length - 1].value : '';
      // The sources: an index loop, as `args.slice(0, -1)` takes V8's slow path on the frozen list.
      for (let k = 0; k < args.length - 1; k++) {
        const src = args[k];
        const what = secretFileKind(src.value);
        // (Most files name no credential path: then no destination is worked out.)
        const variable = credentialPaths.size > 0 && args.length >= 2 && !src.value.includes('$') ? credentialPaths.get(copiedTo(src.value, dest)) : undefined;
        if (what) {
          ctx.report({
            at: ctx.spanOf(src.range),
            message: `${kw} of ${src.value} puts ${what} into an image layer, where it stays even if deleted later. Use RUN --mount=type=secret (or --mount=type=ssh) instead.`,
          });
        } else if (variable) {
          ctx.report({
            at: ctx.spanOf(src.range),
            message: `${kw} of ${src.value} to ${copiedTo(src.value, dest)}, the credential file ${variable} names, puts it into an image layer. Mount it with RUN --mount=type=secret,id=creds,target=${copiedTo(src.value, dest)} in the step that needs it, or provide it at run time.`,
          });
        }
      }
    }
    // `gcloud auth activate-service-account --key-file=/k.json`: the key is in the image unless mounted.
    // Scripts are computed only when some RUN can hold the flag.
    for (const { script } of model.text.includes('--key-file') ? runScripts(model) : []) {
      if (!script.text.includes('--key-file')) continue;
      const mounted = secretTargets(script.instr);
      for (const cmd of commandsOf(script)) {
        const ws = cmd.words;
        const p = cmd.program;
        if (p >= ws.length || !/^gcloud$/.test(ws[p].value.slice(ws[p].value.lastIndexOf('/') + 1))) continue;
        for (let k = p + 1; k < ws.length; k++) {
          const w = ws[k].value;
          const path = w.startsWith('--key-file=') ? w.slice('--key-file='.length) : w === '--key-file' ? ws[k + 1]?.value : undefined;
          if (path === undefined || path.includes('$') || mounted.includes(path)) continue;
          const end = w === '--key-file' && ws[k + 1] ? ws[k + 1].end : ws[k].end;
          ctx.report({
            at: scriptSpan(script, cmd.start + ws[k].start, cmd.start + end),
            message: `gcloud --key-file ${path} reads a service-account key that this RUN does not mount as a secret, so the key is in an image layer or the build context copied into it. Use RUN --mount=type=secret,id=gcp_key,target=${path}.`,
          });
        }
      }
    }
  },
};
