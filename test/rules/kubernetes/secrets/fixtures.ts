/**
 * Synthetic credentials in the real formats (valid checksums and alphabets, no vendor's documented
 * example), made up for these tests: none was ever issued. `PLANTED` lists every one, so the output
 * tests can check that no format prints any of them.
 */
import { withBase62Checksum } from '../../../../server/src/secrets/checksum';

export const GITHUB_TOKEN = withBase62Checksum('ghp_', 'Rk3Lq8Zt5Wm2Xv7Np4Hc9Jd6Fb1Gs0');
export const NPM_TOKEN = withBase62Checksum('npm_', 'Vb2Nm7Qx4Lk9Zp3Wt8Rj5Hd1Fc6Gs0');
export const AWS_KEY_ID = 'AKIA' + 'Q3ZT7RWX4VN2PL6M';
export const AWS_SECRET = 'q8Vz3Lk+T2mRx9Wp4Nb7Hc1Jd6Fg0Ys5Ae8Ku2Qi';
export const SLACK_TOKEN = 'xoxb-' + '482617395024-7730215598126-Gq7rT2mLp9XzWv4Nk8Bc3Hd6';
export const STRIPE_KEY = 'sk_live_' + '51Hq7TzR2mLp9Vw4Ns8Kd3Hf6Jb';
export const DB_PASSWORD = 'Pl4typ0s-Orbit!93';
export const API_KEY = 'c9f2Qm7XvL4tR8wZ1nB6kJ3h';
export const PEM_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu3VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6',
  'dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPE',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
export const PEM_FIRST_LINE = PEM_KEY.split('\n')[1];

function b64url(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}
export const JWT = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'svc-billing', iat: 1733400000 })}.Zt5Wm2Xv7Np4Hc9Jd6Fb1Gs0YqR3Lk8`;

export const b64 = (text: string): string => Buffer.from(text).toString('base64');

export const PLANTED: readonly string[] = [GITHUB_TOKEN, NPM_TOKEN, AWS_KEY_ID, AWS_SECRET, SLACK_TOKEN, STRIPE_KEY, DB_PASSWORD, API_KEY, PEM_FIRST_LINE, JWT];
