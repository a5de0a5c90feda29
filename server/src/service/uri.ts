/**
 * The little of URI handling the server needs: `file:` URIs to paths and back. Node's own
 * `url` module does the escaping rules (VS Code writes `file:///c%3A/...` on Windows).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';

export class URI {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    private readonly raw: string,
  ) {}

  static parse(raw: string): URI {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/[^/]*)?([^?#]*)/.exec(raw);
    if (!m) return new URI('', raw, raw);
    let p = m[2];
    try {
      p = decodeURIComponent(p);
    } catch {
      // keep it escaped
    }
    return new URI(m[1].toLowerCase(), p, raw);
  }

  get fsPath(): string {
    try {
      return fileURLToPath(this.raw.replace(/^file:\/\/\/([a-zA-Z])%3[aA]/, 'file:///$1:'));
    } catch {
      return this.path;
    }
  }
}

export function fileUri(fsPath: string): string {
  return pathToFileURL(fsPath).href;
}
