/** Hover on `.Values` references in templates: which reference, its value, and where it is set. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChartFiles } from '../../server/src/documents/helm/chart';
import { valuesHover, valuesReferenceAt } from '../../server/src/service/helmHover';

describe('helm values hover', () => {
  it('finds the reference and the key under the cursor', () => {
    const line = '  image: "{{ .Values.image.repository }}:{{ $.Values.image.tag | default .Chart.AppVersion }}"';
    const at = (s: string) => line.indexOf(s);
    assert.deepEqual(valuesReferenceAt(line, at('image.repository') + 2), {
      path: ['image'],
      start: at('.Values.image.repository'),
      end: at('.image.repository') + 6,
    });
    assert.deepEqual(valuesReferenceAt(line, at('repository') + 3)?.path, ['image', 'repository']);
    assert.deepEqual(valuesReferenceAt(line, at('image.tag') + 7)?.path, ['image', 'tag']);
    assert.equal(valuesReferenceAt(line, at('.Chart') + 2), undefined);
    assert.equal(valuesReferenceAt('no values here', 3), undefined);
  });

  it('shows the value and its values line; a parent section for a subchart; a disabled subchart', () => {
    const parent: ChartFiles = {
      root: '/p',
      chartYaml: 'name: p\ndependencies:\n  - name: s\n    condition: s.enabled\n',
      valuesYaml: 's:\n  enabled: true\n  port: 8080\n',
      templates: new Map(),
    };
    const sub: ChartFiles = { root: '/p/charts/s', chartYaml: 'name: s\n', valuesYaml: 'port: 80\nname: x\n', templates: new Map(), parent };
    parent.subcharts = [sub];
    const h = valuesHover(sub, 'port: {{ .Values.port }}', 12)!;
    assert.match(h.markdown, /\*\*\.Values\.port\*\*\n\n```yaml\n8080\n```\n\nSet in values\.yaml, line 3\./);
    assert.match(valuesHover(sub, '{{ .Values.name }}', 12)!.markdown, /Set in charts\/s\/values\.yaml, line 2\./);
    assert.match(valuesHover(sub, '{{ .Values.nope }}', 12)!.markdown, /not set/);
    const off: ChartFiles = { ...parent, valuesYaml: 's:\n  enabled: false\n' };
    const offSub: ChartFiles = { ...sub, parent: off };
    assert.match(valuesHover(offSub, '{{ .Values.port }}', 12)!.markdown, /disabled by its parent/);
  });
});
