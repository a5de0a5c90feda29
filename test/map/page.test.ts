/** The map page opens offline under a strict CSP, and no workspace string can break out of it. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { mapPage } from '../../server/src/map/page';

const DATA = {
  nodes: [{ id: 'a', type: 'Workload', namespace: 'x', name: '</script><script>alert(1)</script>\u2028', file: null, line: null }],
  edges: [],
  paths: [],
};
const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

describe('security map page', () => {
  const html = mapPage({ title: 'Bulkhead <map>', script: 'console.log("viewer")', data: DATA });

  it('allows exactly its own script and style by hash, and nothing from anywhere', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|https?:/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const style = /<style id="__________cytoscape_stylesheet">([\s\S]*?)<\/style>/.exec(html)![1];
    assert.ok(csp.includes(hash(script)), 'script hash');
    assert.ok(csp.includes(hash(style)), 'style hash');
    assert.doesNotMatch(html, /\ssrc=|\shref=|style="/, 'nothing loaded, no inline style attributes');
  });

  it('the drawing is reachable by keyboard, with a live region announcing the node reached', () => {
    assert.match(html, /<div id="map" tabindex="0" role="application"[^>]* aria-describedby="focus-status"/);
    assert.match(html, /<div id="focus-status" class="visually-hidden" aria-live="polite"><\/div>/);
    assert.match(html, /#map:focus \{ outline: 2px solid var\(--map-focus\)/);
  });

  it('embeds the data so that no string ends its script element', () => {
    const json = /<script type="application\/json" id="bulkhead-map-data">([\s\S]*?)<\/script>/.exec(html)![1];
    assert.doesNotMatch(json, /<\//);
    assert.deepEqual(JSON.parse(json), DATA);
    assert.match(html, /<title>Bulkhead &lt;map&gt;<\/title>/);
  });

  it('a webview page uses its nonce instead of hashes and carries no data', () => {
    const page = mapPage({ title: 'Map', script: 'x()', nonce: 'abc123' });
    assert.match(page, /script-src 'nonce-abc123'/);
    assert.match(page, /<script nonce="abc123">x\(\)<\/script>/);
    assert.doesNotMatch(page, /bulkhead-map-data/);
  });
});
