/**
 * Names that mean a credential (`DB_PASSWORD`, `apiKey`, `client-secret`), judged as whole words in
 * any case style, and names that hold a secret's location or metadata instead (`PASSWORD_FILE`,
 * `secretName`, `existingSecret`, `TOKEN_URL`).
 */

/** Words that on their own name a secret, and whether the value is a password (human-chosen) or a key. */
const SECRET_WORDS = new Map<string, NameKind>([
  ['password', 'password'],
  ['passwords', 'password'],
  ['passwd', 'password'],
  ['pword', 'password'],
  ['pass', 'password'],
  ['passphrase', 'password'],
  ['pwd', 'password'],
  ['pw', 'password'],
  // Jenkins binds a username/password credential to `<NAME>_USR` and `<NAME>_PSW`.
  ['psw', 'password'],
  ['secret', 'key'],
  ['secrets', 'key'],
  ['token', 'key'],
  ['tokens', 'key'],
  ['authtoken', 'key'],
  ['pat', 'key'],
  ['apikey', 'key'],
  ['privatekey', 'key'],
  ['secretkey', 'key'],
  ['accesskey', 'key'],
  ['credential', 'key'],
  ['credentials', 'key'],
  ['creds', 'key'],
]);

/** Text every SECRET_WORDS entry and `key` contain (test/secrets/names.test.ts checks it). */
export const SECRET_WORD_PARTS = /pw|pass|psw|pat|secret|token|key|cred/;

/**
 * Text every name secretName accepts contains, in any case: SECRET_WORD_PARTS, and `auth` for the
 * exact names that have no other (`_auth`, `docker_auth_config`); test/secrets/prefilters.test.ts
 * checks both lists. A name or text without it holds no credential name, so secretName rejects the
 * name and a scan of the text's names can be skipped. Exact for any string: toLowerCase turns only
 * two characters outside ASCII into ASCII, the Kelvin sign into `k` (which `/i` does not match with
 * `k`, hence `[k\u212A]`) and `İ` into `i` and a combining dot (no part holds an `i`).
 */
export const CREDENTIAL_NAME_PARTS = /pw|pass|psw|pat|secret|to[k\u212A]en|[k\u212A]ey|cred|auth/i;

/** The names of EXACT_NAMES, for the test that CREDENTIAL_NAME_PARTS covers them. */
export function exactNameList(): string[] {
  return [...EXACT_NAMES.keys()];
}

/** The words of SECRET_WORDS, for the test that SECRET_WORD_PARTS covers them. */
export const SECRET_WORD_LIST: readonly string[] = [...SECRET_WORDS.keys()];

export type NameKind = 'password' | 'key';

/** `<qualifier>_KEY` pairs that name a secret (`KEY` alone is too vague: `GPG_KEY` is a fingerprint). */
const KEY_QUALIFIERS = new Set([
  'api',
  'private',
  'secret',
  'access',
  'ssh',
  'deploy',
  'encryption',
  'signing',
  'master',
  'client',
  'app',
  'session',
  'jwt',
  'license',
  'licence',
  'auth',
  'account',
  'storage',
  'service',
  'hmac',
  'shared',
]);

/** Words that may follow the secret word and still name the secret itself (`SECRET_KEY_BASE`). */
const CONTINUATION = new Set([
  'key',
  'keys',
  'value',
  'base',
  'base64',
  'b64',
  'plain',
  'plaintext',
  'raw',
  'str',
  'string',
  'access',
  'token',
  'secret',
  'pass',
  'password',
  'hex',
  'json',
  'pem',
  'data',
]);

/** Words before the secret word that say it is not one (`PUBLIC_KEY`, `NO_PASSWORD`, `existingSecret`). */
const NEGATIONS = new Set([
  'public',
  'pub',
  'no',
  'disable',
  'disabled',
  'skip',
  'without',
  'min',
  'max',
  'allow',
  'enable',
  'enabled',
  'require',
  'required',
  'use',
  'has',
  'is',
  'existing',
  'external',
  'create',
  'generate',
  'mount',
  'show',
  'reset',
  'forgot',
  'change',
  'expire',
  'expiry',
  'rotate',
  'length',
  'policy',
  'automount',
  'checksum',
  'hash',
  'hashed',
  'sha',
  'sha1',
  'sha256',
  'digest',
  'fingerprint',
]);

/** Names that hold a secret's location or metadata, not the secret. */
const NON_SECRET_NAMES = new Set([
  'pwd',
  'oldpwd',
  'google_application_credentials',
  'aws_shared_credentials_file',
  'aws_config_file',
  'docker_config',
  'kubeconfig',
]);

/** Well-known credential variables the word heuristic cannot see. */
const EXACT_NAMES = new Map<string, NameKind>([
  ['pgpassword', 'password'],
  ['npm_config__auth', 'key'],
  ['npm_config__authtoken', 'key'],
  ['mysql_pwd', 'password'],
  ['vault_token', 'key'],
  ['consul_http_token', 'key'],
  ['docker_auth_config', 'key'],
  ['twine_password', 'password'],
  ['sshpass', 'password'],
  ['mysql_root_password', 'password'],
  ['rootpassword', 'password'],
  ['adminpassword', 'password'],
  ['client-secret', 'key'],
  ['clientsecret', 'key'],
  ['secret_key_base', 'key'],
  ['auth', 'key'],
  ['_auth', 'key'],
  ['_authtoken', 'key'],
  ['refresh-token', 'key'],
  ['id-token', 'key'],
  ['access-token', 'key'],
]);

/** `DB_PASSWORD` → `db password`; `apiKey` → `api key`; `client-secret` → `client secret`. */
export function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\-.\s/:]+/)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

/** What makes `name` look like a credential: the word, and whether it names a password or a key. */
export interface SecretName {
  word: string;
  kind: NameKind;
}

export function secretName(name: string): SecretName | undefined {
  if (name.length > 200) return undefined;
  // Every name accepted below holds a credential word or `auth` (see CREDENTIAL_NAME_PARTS): most
  // names (`DEBIAN_FRONTEND`, `--no-install-recommends`) have none, and are not lower-cased or looked up.
  if (!CREDENTIAL_NAME_PARTS.test(name)) return undefined;
  const lower = name.toLowerCase();
  if (NON_SECRET_NAMES.has(lower)) return undefined;
  const exact = EXACT_NAMES.get(lower);
  if (exact) return { word: lower, kind: exact };
  // A credential needs a token of SECRET_WORDS or `key`, and each of those contains one of these:
  // most names (`--no-install-recommends`, `DEBIAN_FRONTEND`) have none and are not split at all.
  if (!SECRET_WORD_PARTS.test(lower)) return undefined;
  const tokens = splitName(name);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    let end = i; // index of the last token that forms the secret word
    let kind = SECRET_WORDS.get(t);
    // `pwd` alone is the shell's working directory; `pat` alone is too short to mean a token.
    if ((t === 'pwd' || t === 'pw' || t === 'pat') && tokens.length === 1) kind = undefined;
    if (t === 'pat' && i === 0) kind = undefined;
    if (!kind && t === 'key' && i > 0 && KEY_QUALIFIERS.has(tokens[i - 1])) kind = 'key';
    if (!kind && (t === 'api' || t === 'private' || t === 'secret' || t === 'access') && tokens[i + 1] === 'key') {
      kind = 'key';
      end = i + 1;
    }
    if (!kind) continue;
    const before = tokens.slice(0, i);
    if (before.some((b) => NEGATIONS.has(b))) return undefined;
    const after = tokens.slice(end + 1);
    if (after.every((a) => CONTINUATION.has(a) || /^\d+$/.test(a))) {
      // `passwordSecret`, `userPasswordKey`: most often the name of the Secret, or of the key in it, that
      // holds the password. Judged as a key is (a resource name such as `grafana-admin` is not one).
      const names = kind === 'password' && after.some((a) => a === 'key' || a === 'keys' || a === 'secret');
      return { word: tokens.slice(i, end + 1).join('_'), kind: names ? 'key' : kind };
    }
  }
  return undefined;
}

/** The word of `name` that makes it look like a credential, or undefined (the Dockerfile rules' view). */
export function secretNameToken(name: string): string | undefined {
  return secretName(name)?.word;
}

/**
 * Names of the identifying half of a key pair (`AWS_ACCESS_KEY_ID`, `MINIO_ACCESS_KEY_ID`): not a
 * secret on its own, but it names the account and key, and where it is baked in, its secret half
 * (`AWS_SECRET_ACCESS_KEY`) usually travels the same way. The peers flag it (hadolint DL3064,
 * BuildKit's `key` token, Trivy DS-0031).
 */
export function credentialHalf(name: string): boolean {
  if (name.length > 200) return false;
  // The `access` token is in the lower-cased name: most names are not split at all.
  if (!name.toLowerCase().includes('access')) return false;
  const tokens = splitName(name);
  const n = tokens.length;
  return n >= 3 && tokens[n - 3] === 'access' && tokens[n - 2] === 'key' && tokens[n - 1] === 'id' && !tokens.slice(0, n - 3).some((t) => NEGATIONS.has(t));
}
