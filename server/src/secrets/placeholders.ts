/** Words that mark a made-up value; matched as whole words of the value. */
const PLACEHOLDER_WORDS = new Set([
  'changeme',
  'change',
  'changeit',
  'example',
  'examples',
  'sample',
  'dummy',
  'placeholder',
  'redacted',
  'fake',
  'test',
  'testing',
  'todo',
  'tbd',
  'fixme',
  'replace',
  'replaceme',
  'insert',
  'your',
  'yours',
  'mine',
  'none',
  'null',
  'nil',
  'undefined',
  'unset',
  'notset',
  'empty',
  'secret',
  'password',
  'passwd',
  'token',
  'apikey',
  'xxx',
  'foo',
  'bar',
  'baz',
  'demo',
  'mock',
  'default',
  'here',
  'enter',
  'set',
  'me',
  'put',
  'required',
  'missing',
  'hidden',
  'masked',
  'value',
  'secretvalue',
  'mysecret',
  'mypassword',
  'supersecret',
  'secretpassword',
  'notasecret',
  'invalid',
]);

const TEMPLATE_OPENERS = ['${', '$(', '{{', '<%', '#{', '%(', '@@', '[[', '__', '%{', '{%'];

function splitWords(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** A value someone writes where the real one must go: `changeme`, `<password>`, `${VAR}`, `xxx`, `REDACTED`. */
export function isPlaceholder(raw: string): boolean {
  const v = raw.trim();
  if (v === '') return true;
  if (TEMPLATE_OPENERS.some((o) => v.includes(o))) return true;
  if (/^\$[A-Za-z_]\w*$/.test(v) || /^%\w$/.test(v) || /^%[sd]$/.test(v)) return true;
  if (v.startsWith('<') && v.endsWith('>')) return true;
  if (/^ENC\[/.test(v)) return true; // a SOPS-encrypted value
  if (v.startsWith('ENC(') && v.endsWith(')')) return true; // a Jasypt-encrypted value (Spring Boot)
  // One or two distinct characters (`xxxxxx`, `******`, `...`, `aaaa1111`).
  if (new Set(v.toLowerCase()).size <= 2) return true;
  // Vendors' documented examples (`wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`) and obvious markers, inside words too.
  if (/example|changeme|placeholder|dummy|redacted|xxxx|notreal|fakefake/i.test(v)) return true;
  if (/^(?:x+|\*+|\.+|-+|#+|_+|0+|1234\d*|abc\w{0,4}|qwerty\w{0,4}|asdf\w{0,4}|letmein)$/i.test(v)) return true;
  if (/^(?:your|my)[-_]?(?:pass|secret|key|token|api|password|access)/i.test(v)) return true;
  // Keyboard runs: `8312341g-5678-abcd-…` is someone's made-up key, not a generated one.
  if ((v.match(/1234|2345|3456|4567|5678|6789|abcd|bcde|cdef|qwer|asdf/gi) ?? []).length >= 2) return true;
  const words = splitWords(v);
  if (words.some((w) => PLACEHOLDER_WORDS.has(w) || /^x{3,}$/.test(w))) {
    // A long random value that merely contains `me` or `set` is not a placeholder: only judge by
    // words when the value is mostly made of them.
    const letters = words.join('').length;
    if (words.some((w) => w.length >= 4 && PLACEHOLDER_WORDS.has(w)) || letters >= v.length * 0.6) return true;
  }
  return false;
}

/** Booleans, small numbers, durations, sizes and the like. */
export function isScalarSetting(v: string): boolean {
  if (/^(?:true|false|yes|no|on|off|y|n|enabled|disabled|optional|always|never|auto|none|null|nil|~)$/i.test(v)) return true;
  if (/^-?\d+(?:\.\d+)?(?:[a-zA-Z]{1,3})?$/.test(v) && v.length <= 12) return true;
  return false;
}

/** Where a secret lives rather than the secret: file paths, secret-store references, URLs without credentials. */
export function isReference(v: string): boolean {
  if (/^(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)[^\s]*$/.test(v)) return true;
  if (/^(?:file|vault|secret|secrets|arn|ref|op|awssm|azkv|gcpsm|sm|ssm|k8s|env):/i.test(v)) return true;
  if (/^projects\/[^/\s]+\/secrets\//.test(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s@]*$/i.test(v)) return true;
  return false;
}

/** Hashes and fingerprints of secrets are safe to publish: crypt/bcrypt/argon2 strings, `{SSHA}`, `sha256:`. */
export function isHash(v: string): boolean {
  if (/^\$(?:2[abxy]?|5|6|argon2i?d?|y|pbkdf2[\w-]*|scrypt)\$/.test(v)) return true;
  if (/^\{(?:SHA|SSHA|SHA256|SSHA256|SHA512|SSHA512|MD5|SMD5|CRYPT|PBKDF2[\w-]*)\}/i.test(v)) return true;
  if (/^(?:sha1|sha256|sha384|sha512|md5):[A-Fa-f0-9]{32,128}$/i.test(v)) return true;
  if (/^[A-Fa-f0-9]{2}(?::[A-Fa-f0-9]{2}){15,63}$/.test(v)) return true; // a colon-separated fingerprint
  return false;
}

export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Public material: certificates, public keys, SSH public keys, known_hosts lines. */
export function isPublicMaterial(v: string): boolean {
  const t = v.trimStart();
  if (
    /^-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|PGP PUBLIC KEY BLOCK|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|TRUSTED CERTIFICATE)-----/.test(
      t,
    )
  )
    return true;
  if (/^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) AAAA/.test(t)) return true;
  return false;
}

/** The whole allow-list: true when `v` cannot be a secret. */
export function isNotSecret(v: string): boolean {
  const t = v.trim();
  return t === '' || isScalarSetting(t) || isPlaceholder(t) || isReference(t) || isHash(t) || isPublicMaterial(t);
}

/**
 * Values that cannot carry a secret at all (empty, booleans, small numbers, paths, secret-store
 * references), for rules about how a variable is passed rather than what it holds: `ENV TOKEN=$TOKEN`
 * still bakes the build argument into the image, so placeholders and variables are not excused here.
 */
export function harmlessValue(v: string): boolean {
  const t = v.trim();
  return t === '' || isScalarSetting(t) || isReference(t);
}
