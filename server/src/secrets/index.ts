/**
 * The secret detector shared by every file kind (Kubernetes objects, Secrets, kubeconfig, Helm
 * values, `.env` files, Dockerfiles): token formats, credential names, the allow-list, embedded
 * config files and redaction.
 */
export { findTokens, hasMarkIn, passwordsInUrls, tokenMarks, TOKEN_FORMATS, urlPasswordMayFollow } from './formats';
export type { TokenFormat, TokenHit, TokenMarks } from './formats';
export { credentialHalf, secretName, secretNameToken, splitName } from './names';
export type { SecretName } from './names';
export { harmlessValue, isNotSecret, isPlaceholder, isPublicMaterial, isReference, isHash } from './placeholders';
export { judgeByName, judgeNamedValue, judgeValue, looksLikeSecretValue, redact } from './judge';
export type { Verdict } from './judge';
export { embeddedEntries, embeddedFormat } from './embedded';
export { nextWordPasswordFlag, secretsInShellString } from './shell';
export type { ShellSecret } from './shell';
export type { EmbeddedEntry } from './embedded';
