/**
 * Scalars written in the style of the text they replace or join: a plain `--flag=value` list item
 * stays plain, a double-quoted one stays double-quoted. Values that must stay strings (kubeadm's
 * extraArgs are `map[string]string`) are quoted when plain text would read as a boolean or number.
 */
import type { Scalar } from 'yaml';

const FIRST_INDICATORS = new Set([...'[]{},#&*!|>\'"%@`?:']);

const FLOW_INDICATORS = new Set([...',[]{}']);

/**
 * Whether `text` reads back as the same string when written as a plain scalar; inside a flow
 * collection (`[a, b]`, `{k: v}`) commas and brackets would end it, so they need quotes there.
 */
export function plainSafe(text: string, inFlow = false): boolean {
  if (text === '' || text.trim() !== text) return false;
  if (inFlow) for (const c of text) if (FLOW_INDICATORS.has(c)) return false;
  if (FIRST_INDICATORS.has(text[0])) return false;
  if (text[0] === '-' && (text.length === 1 || text[1] === ' ')) return false;
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return false;
  for (const c of text) if (c < ' ' || c === '\u007f') return false;
  return !readsAsNonString(text);
}

/** YAML 1.1 and 1.2 booleans, nulls and numbers, which a plain scalar would turn into. */
function readsAsNonString(text: string): boolean {
  if (/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(text)) return true;
  if (/^[-+]?\.(inf|nan)$/i.test(text) || /^0o[0-7]+$/i.test(text)) return true;
  return Number.isFinite(Number(text.replace(/_/g, '')));
}

/**
 * `text` as a scalar styled like `like` (plain if it was and can be, else its quotes, else double
 * quotes); `inFlow` when it goes inside a flow collection.
 */
export function styledScalar(text: string, like: Scalar | undefined, inFlow: boolean): string {
  const type = like?.type;
  if (type === 'QUOTE_SINGLE' && !/[\n\r]/.test(text)) return `'${text.split("'").join("''")}'`;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(text);
  if (plainSafe(text, inFlow)) return text;
  return JSON.stringify(text);
}
