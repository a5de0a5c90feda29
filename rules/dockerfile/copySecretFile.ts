import type { DockerfileRule } from '../../server/src/engine/rule';
import { keyword, pathArguments, stageInstructions, unquote } from './shared';
import { propertiesOf } from './secretInArgEnv';
import { withoutTrailingSlashes } from '../text';

interface SecretFile {
  test: (path: string, base: string) => boolean;
  what: string;
}

const SECRET_FILES: readonly SecretFile[] = [
  { what: 'an environment file with secrets', test: (_p, b) => /^\.env\*?$/.test(b) || /^\.env(?:\.(?!example$|sample$|template$|dist$|defaults?$|tpl$|schema$|test$|ci$)[\w-]+)?$/i.test(b) || /^[\w-]+\.env$/i.test(b) && !/^(?:example|sample|template|default)\b/i.test(b) },
  { what: 'a private SSH key', test: (_p, b) => /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/.test(b) },
  { what: 'an SSH directory', test: (p) => /(?:^|\/)\.ssh\/?$/.test(p) },
  { what: 'a private key', test: (_p, b) => (/\.key$/i.test(b) && !/sign|gpg|pgp|pub|repo|apt|release|archive|keyring/i.test(b)) || (/\.pem$/i.test(b) && /(?:key|priv)/i.test(b)) || /\.(?:p12|pfx)$/i.test(b) },
  { what: 'an npm credentials file', test: (_p, b) => b === '.npmrc' },
  { what: 'a PyPI credentials file', test: (_p, b) => b === '.pypirc' },
  { what: 'a netrc credentials file', test: (_p, b) => b === '.netrc' || b === '_netrc' },
  { what: 'git credentials', test: (_p, b) => b === '.git-credentials' },
  { what: 'AWS credentials', test: (p) => /(?:^|\/)\.aws(?:\/(?:credentials|config)?)?\/?$/.test(p) },
  { what: 'Docker registry credentials', test: (p) => /(?:^|\/)\.docker\/config\.json$/.test(p) || /(?:^|\/)\.docker\/?$/.test(p) },
  { what: 'a kubeconfig', test: (p, b) => /^kubeconfig(?:\.ya?ml)?$/i.test(b) || /(?:^|\/)\.kube(?:\/config)?\/?$/.test(p) },
  { what: 'a Google service-account key', test: (_p, b) => /^(?:service[-_]?account|gcp[-_]?(?:key|credentials)|credentials)(?:[-_][\w-]+)?\.json$/i.test(b) },
];

/** What secret file `path` is, if any. */
export function secretFileKind(path: string): string | undefined {
  const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
  if (p.includes('$')) return undefined;
  const base = withoutTrailingSlashes(p).split('/').pop() ?? '';
  if (/\.pub$/i.test(base)) return undefined;
  return SECRET_FILES.find((f) => f.test(p, base))?.what;
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
    'cache. Templates (`.env.example`) and public keys (`*.pub`) are not flagged.',
  remediation:
    'Mount the file only for the step that needs it: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` ' +
    '(`docker build --secret id=npmrc,src=$HOME/.npmrc`), or `RUN --mount=type=ssh` for SSH keys. List such files ' +
    'in `.dockerignore` so `COPY . .` cannot pick them up either.',
  references: ['trivy:DS-0031'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/secrets/',
  check(ctx) {
    const credentialPaths = credentialFilePaths(ctx.dockerfile);
    for (const { instr } of stageInstructions(ctx.dockerfile)) {
      const kw = keyword(instr);
      if (kw !== 'COPY' && kw !== 'ADD') continue;
      const args = pathArguments(instr);
      const dest = args[args.length - 1]?.value ?? '';
      for (const src of args.slice(0, -1)) {
        const target = dest.endsWith('/') || args.length > 2 ? `${withoutTrailingSlashes(dest)}/${withoutTrailingSlashes(src.value).split('/').pop() ?? ''}` : dest;
        const named = credentialPaths.get(target);
        const what = secretFileKind(src.value) ?? (named ? `the credential file ${named} names` : undefined);
        if (!what) continue;
        ctx.report({
          at: ctx.spanOf(src.range),
          message: `${kw} of ${src.value} puts ${what} into an image layer, where it stays even if deleted later. Use RUN --mount=type=secret (or --mount=type=ssh) instead.`,
        });
      }
    }
  },
};

/** Variables whose value is the path of a credential file the image then reads. */
const CREDENTIAL_FILE_VARIABLES = ['GOOGLE_APPLICATION_CREDENTIALS', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AZURE_CLIENT_CERTIFICATE_PATH'];

/**
 * Absolute paths the Dockerfile names as credential files: the well-known variables set by ENV,
 * and `--key-file` of `gcloud auth activate-service-account`. A COPY to one of them bakes the key in.
 */
function credentialFilePaths(model: import('../../server/src/documents/dockerfile').DockerfileModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const instr of model.instructions()) {
    const kw = keyword(instr);
    if (kw === 'ENV') {
      for (const prop of propertiesOf(instr)) {
        const value = prop.getValue();
        if (value !== null && CREDENTIAL_FILE_VARIABLES.includes(prop.getName()) && unquote(value).startsWith('/')) out.set(unquote(value), prop.getName());
      }
    } else if (kw === 'RUN') {
      const text = instr.getRawArgumentsContent?.() ?? instr.getArgumentsContent() ?? '';
      const re = /--key-file(?:=|\s+)["']?(\/[^\s"';&|]+)/g;
      for (let m = re.exec(text); m; m = re.exec(text)) out.set(m[1], 'gcloud --key-file');
    }
  }
  return out;
}
