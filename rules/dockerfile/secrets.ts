/**
 * Secret heuristics shared by `dockerfile-secret-in-arg-env` and `dockerfile-hardcoded-token`:
 * credential-looking variable names and well-known token formats.
 */

/** Tokens that on their own name a secret. */
const SECRET_WORDS = new Set([
  // `psw`: Jenkins binds a username/password credential to `<NAME>_USR` and `<NAME>_PSW`.
  'password', 'passwords', 'passwd', 'pword', 'pass', 'passphrase', 'pwd', 'psw',
  'secret', 'secrets',
  'token', 'tokens', 'authtoken', 'pat',
  'apikey', 'privatekey', 'secretkey', 'accesskey',
  'credential', 'credentials', 'creds',
]);

/** `<qualifier>_KEY` pairs that name a secret (`KEY` alone is too vague: `GPG_KEY` is a fingerprint). */
const KEY_QUALIFIERS = new Set([
  'api', 'private', 'secret', 'access', 'ssh', 'deploy', 'encryption', 'signing', 'master', 'client',
  'app', 'session', 'jwt', 'license', 'licence', 'auth', 'account', 'storage', 'service', 'hmac', 'shared',
]);

/** Tokens that may follow the secret word and still name the secret itself (`SECRET_KEY_BASE`). */
const CONTINUATION = new Set(['key', 'keys', 'value', 'base', 'base64', 'b64', 'plain', 'plaintext', 'raw', 'str', 'string', 'access', 'token', 'secret', 'pass', 'password', 'hex', 'json', 'pem']);

/** Tokens before the secret word that say it is not one (`PUBLIC_KEY`, `NO_PASSWORD`). */
const NEGATIONS = new Set(['public', 'pub', 'no', 'disable', 'disabled', 'skip', 'without', 'min', 'max', 'allow', 'enable', 'enabled', 'require', 'required', 'use', 'has', 'is']);

/** Names that hold a secret's location or metadata, not the secret. */
const NON_SECRET_NAMES = new Set(['pwd', 'oldpwd', 'google_application_credentials', 'aws_shared_credentials_file', 'docker_config', 'kubeconfig']);

export function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\-.]+/)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

/** Well-known credential variables the token heuristic cannot see. */
const EXACT_NAMES = new Set(['pgpassword', 'npm_config__auth', 'npm_config__authtoken', 'mysql_pwd', 'vault_token', 'consul_http_token', 'docker_auth_config', 'twine_password', 'sshpass']);

/**
 * Names of the identifying half of a key pair (`AWS_ACCESS_KEY_ID`, `MINIO_ACCESS_KEY_ID`): not a
 * secret on its own, but it names the account and key, and where it is baked in, its secret half
 * (`AWS_SECRET_ACCESS_KEY`) usually travels the same way. The peers flag it (hadolint DL3064,
 * BuildKit's `key` token, Trivy DS-0031).
 */
export function credentialHalf(name: string): boolean {
  const tokens = splitName(name);
  const n = tokens.length;
  return n >= 3 && tokens[n - 3] === 'access' && tokens[n - 2] === 'key' && tokens[n - 1] === 'id' && !tokens.slice(0, n - 3).some((t) => NEGATIONS.has(t));
}

/** The token of `name` that makes it look like a credential, or undefined. */
export function secretNameToken(name: string): string | undefined {
  if (NON_SECRET_NAMES.has(name.toLowerCase())) return undefined;
  if (EXACT_NAMES.has(name.toLowerCase())) return name.toLowerCase();
  const tokens = splitName(name);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    let end = i; // index of the last token that forms the secret word
    let hit = SECRET_WORDS.has(t) && !(t === 'pwd' && tokens.length === 1) && !(t === 'pat' && i === 0 && tokens.length === 1);
    if (!hit && t === 'key' && i > 0 && KEY_QUALIFIERS.has(tokens[i - 1])) hit = true;
    if (!hit && (t === 'api' || t === 'private' || t === 'secret' || t === 'access') && tokens[i + 1] === 'key') {
      hit = true;
      end = i + 1;
    }
    if (!hit) continue;
    // PAT is only a token when qualified (GITHUB_PAT), never PATH-like words; `pass` alone is rare.
    if (t === 'pat' && i === 0) continue;
    const before = tokens.slice(0, i);
    if (before.some((b) => NEGATIONS.has(b))) return undefined;
    const after = tokens.slice(end + 1);
    if (after.every((a) => CONTINUATION.has(a) || /^\d+$/.test(a))) return tokens.slice(i, end + 1).join('_');
  }
  return undefined;
}

/** Values that cannot be a secret: booleans, small numbers, paths, references to files or mounts. */
export function harmlessValue(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^(true|false|yes|no|on|off|none|null|nil|y|n|enabled|disabled|required|optional)$/i.test(v)) return true;
  if (/^\d{1,4}$/.test(v)) return true;
  if (/^(\/|~\/|\.\.?\/)[^\s]*$/.test(v)) return true; // a path, e.g. /run/secrets/db_password
  if (/^(file|vault|secret|arn|projects\/[^/]+\/secrets):/i.test(v)) return true;
  return false;
}

export interface TokenFormat {
  name: string;
  /** Global; each match is a candidate. */
  pattern: RegExp;
  /** Further condition on a match, for formats whose full regex would backtrack. */
  accept?: (match: string) => boolean;
}

/** Credential formats distinctive enough to flag wherever they appear. */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
  { name: 'AWS access key ID', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
  { name: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { name: 'Slack token', pattern: /\bxox[baprse]-[A-Za-z0-9-]{10,}\b/g },
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { name: 'Stripe live key', pattern: /\b[sr]k_live_[A-Za-z0-9]{16,}\b/g },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{34,}\b/g },
  { name: 'PyPI token', pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,}/g },
  { name: 'Docker Hub token', pattern: /\bdckr_pat_[A-Za-z0-9_-]{20,}/g },
  // `sk-[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}` (with an optional `proj-`, which the class
  // covers), tested on the whole run: as one regex, every `sk-` that has no marker rescans the run.
  { name: 'OpenAI key', pattern: /\bsk-[A-Za-z0-9_-]+/g, accept: (m) => { const t = m.indexOf('T3BlbkFJ', 3 + 20); return t >= 0 && m.length - (t + 8) >= 20; } },
  { name: 'Anthropic key', pattern: /\bsk-ant-[A-Za-z0-9_-]{32,}/g },
  // 32 hex digits and the data-center suffix: `0123…cdef-us21`.
  { name: 'Mailchimp API key', pattern: /\b[0-9a-f]{32}-us\d{1,2}\b/g },
  { name: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
];

/**
 * `scheme://user:password@host` (`/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@$"'`{}<>]+:(?![$%{<*])[^\s/@$"'`{}<>]+@[^\s/"'`]+/gi`),
 * unless the password is a variable or template (`$TOKEN`, `${X}`, `%s`, `{{ }}`, `<...>`). Found
 * from each `://` rather than by that regex, whose scheme part retried every letter of a long word
 * and scanned the word each time (quadratic on `A+A+A+…`). The scheme is walked back by hand (it
 * cannot contain `:` or `/`, so no two walks overlap) and the rest is matched anchored after `://`.
 */
function passwordsInUrls(text: string): { index: number; length: number }[] {
  const out: { index: number; length: number }[] = [];
  const rest = /[^\s/:@$"'`{}<>]+:(?![$%{<*])[^\s/@$"'`{}<>]+@[^\s/"'`]+/y;
  const schemeChar = /[a-z0-9+.-]/i;
  let done = 0; // matches do not overlap, as with a global regex
  for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', i + 1)) {
    let s = i;
    while (s > done && schemeChar.test(text[s - 1])) s--;
    // The scheme starts at the first letter of the run that begins a word (`\b[a-z]`).
    while (s < i && !(/[a-z]/i.test(text[s]) && (s === 0 || !/\w/.test(text[s - 1])))) s++;
    if (s === i) continue;
    rest.lastIndex = i + 3;
    const m = rest.exec(text);
    if (!m) continue;
    out.push({ index: s, length: i + 3 + m[0].length - s });
    done = i + 3 + m[0].length;
    i = done - 1;
  }
  return out;
}

export function findTokens(text: string): { name: string; index: number; length: number }[] {
  const out: { name: string; index: number; length: number }[] = [];
  for (const f of TOKEN_FORMATS) {
    f.pattern.lastIndex = 0;
    for (let m = f.pattern.exec(text); m; m = f.pattern.exec(text)) {
      if (!f.accept || f.accept(m[0])) out.push({ name: f.name, index: m.index, length: m[0].length });
    }
  }
  for (const hit of passwordsInUrls(text)) out.push({ name: 'password in a URL', ...hit });
  return out.sort((a, b) => a.index - b.index);
}
