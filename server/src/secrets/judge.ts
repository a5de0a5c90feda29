/**
 * The one place that decides whether a value is a secret: a known token format anywhere in it, or a
 * credential name together with a value that looks chosen or generated (length, character classes,
 * entropy) and is on no allow-list.
 */
import { characterClasses, entropy } from './entropy';
import { findTokens, TokenHit } from './formats';
import { CREDENTIAL_NAME_PARTS, secretName, SecretName } from './names';
import { isNotSecret, UUID } from './placeholders';

export type Verdict = { reason: 'format'; hit: TokenHit; what: string } | { reason: 'name'; name: SecretName; what: string };

/** A Kubernetes object name, a label value or a type (`my-app-secret`, `kubernetes.io/tls`): a reference. */
const RESOURCE_NAME = /^[a-z][a-z0-9]*(?:[-./][a-z0-9]+)+$/;
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|token|bearer)[ ]+/;

/** Judges a value with no name: only known formats count. `hinted`: see findTokens. */
export function judgeValue(value: string, hinted?: boolean): Verdict | undefined {
  if (value.length > 1_000_000) return undefined;
  const hit = findTokens(value, hinted)[0];
  return hit ? { reason: 'format', hit, what: hit.name } : undefined;
}

/**
 * Judges `value` stored under `name` (an env var, a map key, a flag). `name` may be a path
 * (`postgresql.auth.password`): its last segment is what counts. `hinted`: see findTokens.
 */
export function judgeNamedValue(name: string, value: string, hinted?: boolean): Verdict | undefined {
  return judgeValue(value, hinted) ?? judgeByName(name, value);
}

/**
 * judgeNamedValue for a value known to hold no token (findTokens finds nothing in it): the name
 * alone decides.
 */
export function judgeByName(name: string, value: string): Verdict | undefined {
  // secretName accepts no part of a name without a credential word (CREDENTIAL_NAME_PARTS): most
  // names are told apart here, before their last segment is cut out.
  if (!CREDENTIAL_NAME_PARTS.test(name)) return undefined;
  const named = secretName(lastSegment(name));
  if (!named) return undefined;
  const v = value.trim().replace(AUTH_SCHEME, '');
  if (!looksLikeSecretValue(v, named)) return undefined;
  return { reason: 'name', name: named, what: named.kind === 'password' ? 'password' : 'credential' };
}

/** Whether `v`, under a credential name of this kind, is a real-looking value. */
export function looksLikeSecretValue(v: string, named: SecretName): boolean {
  if (v.length > 10_000 || isNotSecret(v)) return false;
  if (/\s/.test(v)) return false; // sentences, commands, lists
  if (UUID.test(v)) return false; // identifiers far more often than keys
  if (v.toLowerCase().replace(/[^a-z0-9]/g, '') === named.word.replace(/_/g, '')) return false; // `password: password`
  const classes = characterClasses(v);
  if (named.kind === 'password') return v.length >= 6 || (v.length >= 4 && classes >= 2);
  if (RESOURCE_NAME.test(v) && v.length < 64) return false;
  return v.length >= 8 && (classes >= 2 || entropy(v) >= 3);
}

function lastSegment(name: string): string {
  // Most names have no separator: no split, no arrays.
  if (!name.includes('.') && !name.includes('/')) return name;
  const parts = name.split(/[./]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : name;
}

/**
 * How a secret is shown: never the value. The first characters (4 at most, fewer for short values,
 * none under 8) and the length: enough to tell which credential it is, not to use it.
 */
export function redact(value: string): string {
  const shown = value.length >= 16 ? 4 : value.length >= 12 ? 2 : 0;
  const head = shown ? JSON.stringify(value.slice(0, shown)).slice(1, -1) : '';
  return `"${head}…" (${value.length} characters)`;
}
