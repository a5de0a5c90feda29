/**
 * Credential formats distinctive enough to flag wherever they appear, each with the validation the
 * format allows (checksums, fixed lengths, alphabets, documented example values). Every pattern is a
 * fixed prefix followed by bounded or single-class runs, so matching is linear in the text.
 */
import { hasValidBase62Checksum } from './checksum';
import { isPlaceholder } from './placeholders';

export interface TokenFormat {
  /** Stable id, e.g. `github-token`. */
  id: string;
  /** How messages name it: "GitHub token". */
  name: string;
  /** Global; each match is a candidate. */
  pattern: RegExp;
  /** Literal text every match contains: the regex runs only on text that has one (most text has none). */
  hints: readonly string[];
  /** Further condition on a match (checksums, documented examples, a body after a PEM header). */
  accept?: (match: string, text: string, index: number) => boolean;
}

/** Values vendors print in their documentation; a token containing one is an example, not a leak. */
const DOCUMENTED = /EXAMPLE|example|XXXXXXXX|xxxxxxxx|0000000000|1234567890|abcdefghij|ABCDEFGHIJ/;
const notDocumented = (m: string) => !DOCUMENTED.test(m);

function base64UrlJson(part: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT whose header names an algorithm and whose payload is JSON; jwt.io's sample ("John Doe") is not one. */
function isRealJwt(m: string): boolean {
  const [header, payload] = m.split('.');
  const h = base64UrlJson(header);
  const p = base64UrlJson(payload);
  if (!h || !p || typeof h.alg !== 'string') return false;
  return p.sub !== '1234567890' && p.name !== 'John Doe';
}

/** A PEM private key with a body (base64 after the header), not a bare header in documentation. */
function hasPemBody(m: string, text: string, index: number): boolean {
  const after = text.slice(index + m.length, index + m.length + 400);
  let run = 0;
  for (const c of after) {
    if (/[A-Za-z0-9+/=]/.test(c)) {
      if (++run >= 40) return true;
    } else if (c === '-') return false;
  }
  return false;
}

export const TOKEN_FORMATS: readonly TokenFormat[] = [
  // Cloud providers
  {
    id: 'aws-access-key-id',
    name: 'AWS access key ID',
    hints: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g,
    accept: notDocumented,
  },
  { id: 'gcp-api-key', name: 'Google API key', hints: ['AIza'], pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, accept: notDocumented },
  { id: 'azure-storage-key', name: 'Azure storage account key', hints: ['AccountKey='], pattern: /\bAccountKey=[A-Za-z0-9+/]{86}==/g },
  {
    id: 'azure-client-secret',
    name: 'Azure AD client secret',
    hints: ['Q~'],
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    accept: notDocumented,
  },
  { id: 'digitalocean-token', name: 'DigitalOcean token', hints: ['_v1_'], pattern: /\bdo[por]_v1_[a-f0-9]{64}\b/g },
  { id: 'alibaba-access-key', name: 'Alibaba Cloud AccessKey ID', hints: ['LTAI'], pattern: /\bLTAI[A-Za-z0-9]{20}\b/g, accept: notDocumented },
  // VCS and CI
  {
    id: 'github-token',
    name: 'GitHub token',
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/g,
    accept: hasValidBase62Checksum,
  },
  {
    id: 'github-fine-grained-token',
    name: 'GitHub fine-grained token',
    hints: ['github_pat_'],
    pattern: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b/g,
    accept: notDocumented,
  },
  {
    id: 'gitlab-token',
    name: 'GitLab token',
    // Each prefix whole: `gl` alone is in every other Dockerfile (glibc, english, google).
    hints: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glimt-', 'glsoat-', 'glffct-', 'glagent-'],
    pattern: /\bgl(?:pat|dt|rt|ptt|cbt|imt|soat|ffct|agent)-[A-Za-z0-9_-]{20,}/g,
    accept: notDocumented,
  },
  { id: 'bitbucket-app-password', name: 'Bitbucket app password', hints: ['ATBB'], pattern: /\bATBB[A-Za-z0-9_=.-]{28,}/g, accept: notDocumented },
  { id: 'atlassian-token', name: 'Atlassian API token', hints: ['ATATT3'], pattern: /\bATATT3[A-Za-z0-9_=-]{100,}/g },
  { id: 'vault-token', name: 'HashiCorp Vault token', hints: ['hvs.', 'hvb.'], pattern: /\bhv[sb]\.[A-Za-z0-9_-]{24,}/g, accept: notDocumented },
  { id: 'terraform-token', name: 'Terraform Cloud token', hints: ['.atlasv1.'], pattern: /\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,}/g },
  // Chat and webhooks
  { id: 'slack-token', name: 'Slack token', hints: ['xox'], pattern: /\bxox[baprse]-[A-Za-z0-9-]{10,}/g, accept: notDocumented },
  {
    id: 'slack-webhook',
    name: 'Slack webhook URL',
    hints: ['hooks.slack.com'],
    pattern: /\bhttps:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/]{20,}/g,
    accept: notDocumented,
  },
  {
    id: 'discord-webhook',
    name: 'Discord webhook URL',
    hints: ['/api/webhooks/'],
    pattern: /\bhttps:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,}/g,
  },
  {
    id: 'teams-webhook',
    name: 'Microsoft Teams webhook URL',
    hints: ['.webhook.office.com'],
    pattern: /\bhttps:\/\/[a-z0-9-]{1,60}\.webhook\.office\.com\/webhookb2\/[A-Za-z0-9@/-]{40,}/g,
  },
  { id: 'telegram-bot-token', name: 'Telegram bot token', hints: [':AA'], pattern: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g },
  // Payment
  { id: 'stripe-key', name: 'Stripe live key', hints: ['_live_'], pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{24,}\b/g, accept: notDocumented },
  { id: 'square-token', name: 'Square token', hints: ['sq0'], pattern: /\bsq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}\b/g },
  {
    id: 'braintree-token',
    name: 'Braintree access token',
    hints: ['access_token$production$'],
    pattern: /\baccess_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}\b/g,
  },
  // Package registries
  { id: 'npm-token', name: 'npm token', hints: ['npm_'], pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, accept: hasValidBase62Checksum },
  { id: 'pypi-token', name: 'PyPI token', hints: ['pypi-AgE'], pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,}/g },
  { id: 'dockerhub-token', name: 'Docker Hub token', hints: ['dckr_pat_'], pattern: /\bdckr_pat_[A-Za-z0-9_-]{20,}/g, accept: notDocumented },
  { id: 'rubygems-token', name: 'RubyGems API key', hints: ['rubygems_'], pattern: /\brubygems_[a-f0-9]{48}\b/g },
  { id: 'nuget-key', name: 'NuGet API key', hints: ['oy2'], pattern: /\boy2[a-z0-9]{43}\b/g },
  // SaaS APIs
  { id: 'sendgrid-key', name: 'SendGrid API key', hints: ['SG.'], pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { id: 'twilio-key', name: 'Twilio API key', hints: ['SK'], pattern: /\bSK[0-9a-f]{32}\b/g },
  { id: 'mailgun-key', name: 'Mailgun API key', hints: ['key-'], pattern: /\bkey-[0-9a-f]{32}\b/g },
  { id: 'mailchimp-key', name: 'Mailchimp API key', hints: ['-us'], pattern: /\b[0-9a-f]{32}-us\d{1,2}\b/g },
  { id: 'shopify-token', name: 'Shopify token', hints: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g },
  { id: 'databricks-token', name: 'Databricks token', hints: ['dapi'], pattern: /\bdapi[a-f0-9]{32}(?:-\d)?\b/g },
  { id: 'grafana-token', name: 'Grafana service account token', hints: ['glsa_'], pattern: /\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b/g },
  { id: 'newrelic-key', name: 'New Relic API key', hints: ['NRAK-'], pattern: /\bNRAK-[A-Z0-9]{27}\b/g },
  { id: 'datadog-key', name: 'Datadog API key', hints: ['ddapi_'], pattern: /\bddapi_[A-Za-z0-9]{30,}/g },
  // AI providers
  {
    id: 'openai-key',
    name: 'OpenAI key',
    hints: ['T3BlbkFJ'],
    pattern: /\bsk-[A-Za-z0-9_-]+/g,
    accept: (m) => {
      const t = m.indexOf('T3BlbkFJ', 3 + 20);
      return t >= 0 && m.length - (t + 8) >= 20;
    },
  },
  { id: 'anthropic-key', name: 'Anthropic key', hints: ['sk-ant-'], pattern: /\bsk-ant-[A-Za-z0-9_-]{32,}/g, accept: notDocumented },
  { id: 'huggingface-token', name: 'Hugging Face token', hints: ['hf_'], pattern: /\bhf_[A-Za-z0-9]{34,}\b/g, accept: notDocumented },
  { id: 'groq-key', name: 'Groq API key', hints: ['gsk_'], pattern: /\bgsk_[A-Za-z0-9]{52}\b/g },
  { id: 'replicate-token', name: 'Replicate token', hints: ['r8_'], pattern: /\br8_[A-Za-z0-9]{37}\b/g },
  // Keys and signed tokens
  { id: 'private-key', name: 'private key', hints: ['PRIVATE KEY'], pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g, accept: hasPemBody },
  { id: 'putty-private-key', name: 'PuTTY private key', hints: ['PuTTY-User-Key-File-'], pattern: /PuTTY-User-Key-File-\d: /g },
  {
    id: 'jwt',
    name: 'JSON Web Token',
    hints: ['eyJ'],
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g,
    accept: isRealJwt,
  },
  // (Anchored at the start of a run, not at `\b`: `eyJ-eyJ-…` would restart at every `eyJ`.)
];

export interface TokenHit {
  id: string;
  name: string;
  index: number;
  length: number;
}

/** What follows `://` in a URL with a password (anchored there: sticky). */
const URL_REST = /[^\s/:@$"'`{}<>]+:(?![$%{<*])([^\s/@$"'`{}<>]+)@[^\s/"'`]+/y;
// Character tests by code, not a regex per character (`/[a-z]/i`, `/[a-z0-9+.-]/i`, `/\w/`).
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordChar = (c: number): boolean => isLetter(c) || isDigit(c) || c === 95;
const isSchemeChar = (c: number): boolean => isLetter(c) || isDigit(c) || c === 43 || c === 46 || c === 45;

/**
 * `scheme://user:password@host` (`/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@$"'`{}<>]+:(?![$%{<*])[^\s/@$"'`{}<>]+@[^\s/"'`]+/gi`),
 * unless the password is a variable, template or placeholder (`$TOKEN`, `${X}`, `%s`, `{{ }}`,
 * `<...>`, `password`). Found from each `://` rather than by that regex, whose scheme part retried
 * every letter of a long word and scanned the word each time (quadratic on `A+A+A+…`). The scheme is
 * walked back by hand (it cannot contain `:` or `/`, so no two walks overlap) and the rest is matched
 * anchored after `://`.
 */
export function passwordsInUrls(text: string): { index: number; length: number; password: string }[] {
  if (!text.includes('://')) return [];
  const out: { index: number; length: number; password: string }[] = [];
  let done = 0; // matches do not overlap, as with a global regex
  for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', i + 1)) {
    // A match has an `@` after its `://`: with none after this one, neither it nor a later URL has one.
    if (text.indexOf('@', i + 3) < 0) break;
    let s = i;
    while (s > done && isSchemeChar(text.charCodeAt(s - 1))) s--;
    // The scheme starts at the first letter of the run that begins a word (`\b[a-z]`).
    while (s < i && !(isLetter(text.charCodeAt(s)) && (s === 0 || !isWordChar(text.charCodeAt(s - 1))))) s++;
    if (s === i) continue;
    URL_REST.lastIndex = i + 3;
    const m = URL_REST.exec(text);
    if (!m) continue;
    out.push({ index: s, length: i + 3 + m[0].length - s, password: m[1] });
    done = i + 3 + m[0].length;
    i = done - 1;
  }
  return out;
}

/**
 * Whether passwordsInUrls can find a URL with a password at the `://` at `at` of `text`: what follows
 * it must match URL_REST. Where `text` has no such match there, no part of `text` that holds this
 * `://` has one either: URL_REST reads only forward, and its lookahead reads a character that a match
 * has after it.
 */
export function urlPasswordMayFollow(text: string, at: number): boolean {
  URL_REST.lastIndex = at + 3;
  return URL_REST.test(text);
}

/**
 * Whether the text holds any hint of TOKEN_FORMATS: it matches exactly where one of them occurs
 * (test/secrets/prefilters.test.ts checks that against the hint lists).
 *
 * It is written around anchors, not as the plain alternation of the ~60 hints: irregexp tried every
 * hint at every position of the text (about 85 machine instructions a character, the costliest test of
 * a Dockerfile lint). Each hint is matched from a character of it that is rare in Dockerfiles (K A Q _
 * g v x k q y G u d J): the rest of the hint is matched forward and, where the anchor is not its first
 * character, a lookbehind confirms the whole hint. As every alternative starts with one of 14
 * characters, irregexp skips a position with one table look-up (about 18 instructions a character in all).
 *
 * Global, for tokenMarks, which lists every match: use holdsHint for a yes or no (it starts at 0).
 */
export const ANY_HINT =
  /K(?:IA(?<=AKIA)|ey=(?<=AccountKey=)|(?<=SK)|-(?<=NRAK-)|EY(?<=PRIVATE KEY)|ey-File-(?<=PuTTY-User-Key-File-))|A(?:SIA|BIA|CCA|Iza|TBB|TATT3|I(?<=LTAI)|A(?<=:AA)|gE(?<=pypi-AgE))|Q~|_(?:v1_|live_|pat_(?<=github_pat_|dckr_pat_)|token\$production\$(?<=access_token\$production\$)|(?<=gh[pousr]_|glsa_|npm_|rubygems_|shp(?:at|ca|pa|ss)_|hf_|gsk_|r8_))|gl(?:pat|dt|rt|ptt|cbt|imt|soat|ffct|agent)-|v(?:[sb]\.(?<=hv[sb]\.)|1\.(?<=\.atlasv1\.))|xox|k(?:s\.slack\.com(?<=hooks\.slack\.com)|s\/(?<=\/api\/webhooks\/)|\.office\.com(?<=\.webhook\.office\.com)|-ant-(?<=sk-ant-)|ey-)|q0(?<=sq0)|y2(?<=oy2)|G\.(?<=SG\.)|us(?<=-us)|dapi|J(?<=T3BlbkFJ|eyJ)/g;

/** Whether `text` holds a hint of TOKEN_FORMATS (ANY_HINT matches in it). */
export function holdsHint(text: string): boolean {
  ANY_HINT.lastIndex = 0;
  return ANY_HINT.test(text);
}

function hasHint(text: string, hints: readonly string[]): boolean {
  for (const h of hints) if (text.includes(h)) return true;
  return false;
}

/** Where a text may hold a token: see tokenMarks. */
export interface TokenMarks {
  /** Every position where ANY_HINT matches (overlapping hints included), in order. */
  readonly hints: readonly number[];
  /** Every `://`, in order. */
  readonly urls: readonly number[];
}

/**
 * Where `text` may hold a token. A range of `text` that contains no hint mark holds no hint (a hint
 * inside the range matches ANY_HINT in the whole text at the same place, its lookbehind reading the
 * same characters), and one with no URL mark holds no `://`: findTokens finds nothing in a range with
 * neither, nor in any part of it, and needs no ANY_HINT scan of a range with no hint mark. A caller
 * asking that of many parts of one text (each instruction of a Dockerfile, each value of a command
 * line) scans the text once instead of each part.
 */
export function tokenMarks(text: string): TokenMarks {
  const hints: number[] = [];
  ANY_HINT.lastIndex = 0;
  for (let m = ANY_HINT.exec(text); m; m = ANY_HINT.exec(text)) {
    hints.push(m.index);
    ANY_HINT.lastIndex = m.index + 1; // every match, not only those after the last one's end
  }
  const urls: number[] = [];
  for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', i + 1)) urls.push(i);
  return { hints, urls };
}

/** The index of the first of `marks` (a list of TokenMarks) at or after `at`, by bisection (a file can have thousands of URLs). */
export function firstMarkFrom(marks: readonly number[], at: number): number {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (marks[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a mark of `marks` (a list of TokenMarks) lies in [start, end). */
export function hasMarkIn(marks: readonly number[], start: number, end: number): boolean {
  const k = firstMarkFrom(marks, start);
  return k < marks.length && marks[k] < end;
}

/**
 * Every known-format credential in `text`, and every URL with a literal password, in text order.
 * `hinted`: whether `text` holds a hint (ANY_HINT), when the caller knows.
 */
export function findTokens(text: string, hinted: boolean = holdsHint(text)): TokenHit[] {
  // Most text holds no hint at all and no URL: one pass over it for any hint (or the caller's answer,
  // from tokenMarks) spares 43 formats' own look-ups, and the answer is known.
  if (!hinted && !text.includes('://')) return [];
  const out: TokenHit[] = [];
  if (hinted) {
    for (const f of TOKEN_FORMATS) {
      if (!hasHint(text, f.hints)) continue;
      f.pattern.lastIndex = 0;
      for (let m = f.pattern.exec(text); m; m = f.pattern.exec(text)) {
        if (!f.accept || f.accept(m[0], text, m.index)) out.push({ id: f.id, name: f.name, index: m.index, length: m[0].length });
      }
    }
  }
  const found = out.length;
  for (const hit of passwordsInUrls(text)) {
    // A URL whose password is a known token is reported as that token.
    const known = out.slice(0, found).some((t) => t.index >= hit.index && t.index < hit.index + hit.length);
    if (!known && !isPlaceholder(hit.password)) out.push({ id: 'url-password', name: 'password in a URL', index: hit.index, length: hit.length });
  }
  return out.length > 1 ? out.sort((a, b) => a.index - b.index) : out;
}
