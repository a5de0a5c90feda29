/**
 * The security map's page: one HTML document holding the viewer bundle, its styles and (for the
 * report) the data, so it opens from `file://` with no network and under a strict Content-Security-
 * Policy: nothing loads from anywhere, scripts and styles run only when their hash (report) or nonce
 * (webview) matches, and there is no `eval`.
 */
import { createHash } from '../node/createHash';
import type { MapData } from '../../../client/map/mapData';

export interface PageOptions {
  readonly title: string;
  /** The viewer bundle (dist/mapViewer.js), inlined (the report). */
  readonly script?: string;
  /**
   * Where the webview loads the bundle from instead (`asWebviewUri` of dist/mapViewer.js, inside the
   * panel's localResourceRoots); allowed by the nonce, like everything else there.
   */
  readonly scriptUri?: string;
  /** Embedded data (the report); the webview gets its data by message instead. */
  readonly data?: MapData;
  /** The webview's per-load nonce; without it, scripts and styles are allowed by hash. */
  readonly nonce?: string;
}

const STYLE = `
:root { --map-bg: #ffffff; --map-text: #1b1f24; --map-node: #e8eef6; --map-border: #7a8899; --map-jewel: #f4cccc; --map-entry: #fff2cc; --map-panel: #f6f8fa; --map-focus: #0066cc; }
@media (prefers-color-scheme: dark) { :root { --map-bg: #1e1e1e; --map-text: #e6e6e6; --map-node: #2d3640; --map-border: #8b9bb0; --map-jewel: #6b2b2b; --map-entry: #5c4d1a; --map-panel: #252526; --map-focus: #4da3ff; } }
body.vscode-light, body.vscode-dark, body.vscode-high-contrast { --map-bg: var(--vscode-editor-background); --map-text: var(--vscode-editor-foreground); --map-panel: var(--vscode-sideBar-background, var(--vscode-editor-background)); --map-border: var(--vscode-contrastBorder, var(--vscode-panel-border, #7a8899)); --map-focus: var(--vscode-focusBorder, #0066cc); }
body.vscode-dark { --map-node: #2d3640; --map-jewel: #6b2b2b; --map-entry: #5c4d1a; }
body.vscode-high-contrast { --map-node: #000000; --map-jewel: #5a0000; --map-entry: #3a3000; }
html, body { height: 100%; margin: 0; background: var(--map-bg); color: var(--map-text); font: 13px system-ui, sans-serif; }
main { display: grid; grid-template-columns: 1fr 380px; grid-template-rows: auto 1fr; height: 100%; }
header { grid-column: 1 / 3; display: flex; gap: 16px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--map-border); flex-wrap: wrap; }
#map { min-height: 300px; }
aside { overflow: auto; padding: 8px; background: var(--map-panel); border-left: 1px solid var(--map-border); }
#paths { padding-left: 18px; } #paths ol { margin: 2px 0 8px; padding-left: 18px; font-size: 12px; }
button.path, button.step { all: unset; display: block; cursor: pointer; } button.path { text-decoration: underline; }
button.path:focus, button.step:focus, #map:focus { outline: 2px solid var(--map-focus); outline-offset: 1px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.kind { margin-right: 8px; } .location { display: block; margin-top: 4px; }
.legend span { display: inline-block; width: 14px; height: 3px; margin: 0 4px 3px 8px; vertical-align: middle; }
.legend span:nth-of-type(1) { background: #1f77b4; } .legend span:nth-of-type(2) { background: #9467bd; }
.legend span:nth-of-type(3) { background: #ff7f0e; } .legend span:nth-of-type(4) { background: #d62728; }
#paths-title { font-size: 14px; }
.__________cytoscape_container { position: relative; }
`;

const BODY = `
<main>
  <header>
    <strong>Bulkhead security map</strong>
    <label>Namespace <select id="namespace" aria-label="Namespace"></select></label>
    <span id="kinds" role="group" aria-label="Edge kinds"></span>
    <label><input type="checkbox" id="only-jewels"> only paths to crown jewels</label>
    <label><input type="checkbox" id="only-internet"> only from the Internet</label>
    <span class="legend" aria-hidden="true"><span></span>network<span></span>identity<span></span>RBAC<span></span>escape</span>
  </header>
  <div id="map" tabindex="0" role="application" aria-roledescription="security map" aria-describedby="focus-status" aria-label="Graph of entry points, workloads, identities, permissions and crown jewels: arrow keys move between nodes, Enter selects one, Escape clears; the list beside it has every path"></div>
  <div id="focus-status" class="visually-hidden" aria-live="polite"></div>
  <aside>
    <div id="details" aria-live="polite"></div>
    <h2 id="paths-title">Paths</h2>
    <ol id="paths"></ol>
  </aside>
</main>`;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** JSON that cannot end the script element it sits in, whatever strings the workspace holds. */
function inlineJson(data: MapData): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function mapPage(options: PageOptions): string {
  // No style attributes anywhere: a strict style-src would block them. The style element carries the id
  // Cytoscape looks for before injecting a stylesheet of its own (which the CSP would block).
  const body = BODY;
  const script = (options.script ?? '').replace(/<\/script/gi, '<\\/script');
  const style = STYLE;
  const allow = options.nonce ? { script: `'nonce-${options.nonce}'`, style: `'nonce-${options.nonce}'` } : { script: sha256(script), style: sha256(style) };
  const csp = `default-src 'none'; script-src ${allow.script}; style-src ${allow.style}; img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  const nonce = options.nonce ? ` nonce="${options.nonce}"` : '';
  const data = options.data ? `<script type="application/json" id="bulkhead-map-data">${inlineJson(options.data)}</script>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style${nonce} id="__________cytoscape_stylesheet">${style}</style>
</head>
<body>${body}
${data}
${options.scriptUri ? `<script${nonce} src="${escapeHtml(options.scriptUri)}"></script>` : `<script${nonce}>${script}</script>`}
</body>
</html>
`;
}
