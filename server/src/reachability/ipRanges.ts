/**
 * IP addresses and CIDR blocks as integer ranges (bigint, so IPv4 and IPv6 share the code), and the
 * split of the address space into the segments every `ipBlock` in play agrees on: inside a
 * segment, each `cidr` and `except` either holds every address or none, so a segment is one
 * endpoint for the reachability engine. Parsing is by splitting, never by a regex over the text.
 */
export type Family = 4 | 6;

export interface IpRange {
  readonly family: Family;
  readonly start: bigint;
  /** Inclusive. */
  readonly end: bigint;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || ![...p].every((c) => c >= '0' && c <= '9')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(text: string): bigint | undefined {
  if (text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const words: bigint[] = [];
  const pushGroups = (list: string[], out: bigint[]): boolean => {
    for (let i = 0; i < list.length; i++) {
      const g = list[i];
      if (i === list.length - 1 && g.includes('.')) {
        const v4 = parseV4(g);
        if (v4 === undefined) return false;
        out.push(v4 >> 16n, v4 & 0xffffn);
        continue;
      }
      if (g.length === 0 || g.length > 4 || ![...g].every((c) => '0123456789abcdefABCDEF'.includes(c))) return false;
      out.push(BigInt(`0x${g}`));
    }
    return true;
  };
  const headWords: bigint[] = [];
  const tailWords: bigint[] = [];
  if (!pushGroups(head, headWords) || !pushGroups(tail, tailWords)) return undefined;
  const missing = 8 - headWords.length - tailWords.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  words.push(...headWords, ...Array<bigint>(halves.length === 2 ? missing : 0).fill(0n), ...tailWords);
  return words.reduce((acc, w) => (acc << 16n) | w, 0n);
}

/** `10.0.0.0/8`, `2001:db8::/32`; a bare address is a /32 or /128. Undefined when malformed. */
export function parseCidr(text: string): IpRange | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addr = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const family: Family = addr.includes(':') ? 6 : 4;
  const value = family === 4 ? parseV4(addr) : parseV6(addr);
  if (value === undefined) return undefined;
  const bits = BITS[family];
  const lenText = slash < 0 ? String(bits) : trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  if (len > bits) return undefined;
  const host = (1n << BigInt(bits - len)) - 1n;
  const start = value & ~host & ((1n << BigInt(bits)) - 1n);
  return { family, start, end: start | host };
}

export function wholeFamily(family: Family): IpRange {
  return { family, start: 0n, end: (1n << BigInt(BITS[family])) - 1n };
}

export function containsRange(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

export function overlaps(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

function formatV4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

function formatV6(v: bigint): string {
  const words = [];
  for (let i = 7; i >= 0; i--) words.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // The longest run of two or more zero words becomes `::` (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (best < 0) return hex(words);
  return `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}

export function formatAddress(family: Family, v: bigint): string {
  return family === 4 ? formatV4(v) : formatV6(v);
}

/** `0.0.0.0-255.255.255.255`, the notation of netpol-analyzer. */
export function formatRange(r: IpRange): string {
  return `${formatAddress(r.family, r.start)}-${formatAddress(r.family, r.end)}`;
}

/**
 * The address space (IPv4, and IPv6 when a block names it) cut at every boundary of `blocks`, in
 * address order: each `block` either contains a segment or does not overlap it.
 */
export function segments(blocks: readonly IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  for (const family of [4, 6] as const) {
    const mine = blocks.filter((b) => b.family === family);
    if (family === 6 && !mine.length) continue;
    const whole = wholeFamily(family);
    const cuts = new Set<bigint>([whole.start]);
    for (const b of mine) {
      cuts.add(b.start);
      if (b.end < whole.end) cuts.add(b.end + 1n);
    }
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < sorted.length; i++) out.push({ family, start: sorted[i], end: i + 1 < sorted.length ? sorted[i + 1] - 1n : whole.end });
  }
  return out;
}

/** Private, loopback, link-local and shared (CGNAT) IPv4 space, and IPv6 ULA / link-local / loopback: not "the Internet". */
const NON_PUBLIC = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '0.0.0.0/8',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
].map((c) => parseCidr(c)!);

/** Whether a range holds an address of the public Internet. */
export function includesPublic(r: IpRange): boolean {
  let covered = 0n;
  for (const p of NON_PUBLIC) {
    if (p.family !== r.family || !overlaps(p, r)) continue;
    const a = p.start > r.start ? p.start : r.start;
    const b = p.end < r.end ? p.end : r.end;
    covered += b - a + 1n;
  }
  return covered < r.end - r.start + 1n;
}
