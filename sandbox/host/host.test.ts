import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adfToHtml } from './adf';
import { contentSecurityPolicy, injectBridge, resolveResourceFile } from './frames';
import { html, toString, trusted } from './html';

describe('html', () => {
  it('escapes interpolated text, keeps nested fragments', () => {
    const name = '<img src=x onerror=alert(1)> & "quotes"';
    expect(toString(html`<p title="${name}">${name}${html`<b>ok</b>`}</p>`)).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;">&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;<b>ok</b></p>',
    );
    expect(toString(html`${['a', html`<i>b</i>`, null, false, 3]}`)).toBe('a<i>b</i>3');
    expect(toString(trusted('<br>'))).toBe('<br>');
  });
});

describe('Custom UI resources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-resource-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<html><head><script>window.inline = 1</script></head><body></body></html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'void 0');

  it('serves files inside the resource only', () => {
    expect(resolveResourceFile(dir, 'assets/app.js')).toBe(join(dir, 'assets', 'app.js'));
    expect(resolveResourceFile(dir, '')).toBe(join(dir, 'index.html'));
    expect(resolveResourceFile(dir, '../../etc/passwd')).toBeUndefined();
    expect(resolveResourceFile(dir, 'assets/missing.js')).toBeUndefined();
  });

  it('puts the bridge first in <head>, before any app script', () => {
    const out = injectBridge('<html><head><meta charset="utf-8"><script src="./a.js"></script></head></html>', 'tok');
    expect(out.indexOf('/forge/bridge.js')).toBeLessThan(out.indexOf('./a.js'));
    expect(out).toContain('data-context="tok"');
  });

  it('uses the CSP @forge/csp computes: self only, inline scripts by hash, styles per manifest permission', () => {
    const indexHtml = '<html><head><script>window.inline = 1</script><style>a{}</style></head></html>';
    const strict = contentSecurityPolicy(indexHtml, {}, 'http://localhost:8080', '/forge/csp-report');
    expect(strict).toMatch(/script-src 'self' [^;]*'sha256-/);
    expect(strict).not.toContain("'unsafe-inline'");
    expect(strict).toContain('report-uri /forge/csp-report');
    expect(strict).not.toContain('web-security-reports');
    const styled = contentSecurityPolicy(
      indexHtml,
      { content: { styles: ['unsafe-inline'] } },
      'http://localhost:8080',
      '/r',
    );
    expect(styled).toMatch(/style-src [^;]*'unsafe-inline'/);
  });
});

describe('ADF export rendering', () => {
  it('renders the nodes a status report uses', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Portfolio' }] },
        {
          type: 'table',
          content: [
            {
              type: 'tableRow',
              content: [
                { type: 'tableHeader', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Key' }] }] },
              ],
            },
            {
              type: 'tableRow',
              content: [
                {
                  type: 'tableCell',
                  content: [{ type: 'paragraph', content: [{ type: 'status', attrs: { text: 'RED', color: 'red' } }] }],
                },
              ],
            },
          ],
        },
        {
          type: 'paragraph',
          content: [
            {
              type: 'text',
              text: 'link',
              marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }, { type: 'strong' }],
            },
          ],
        },
      ],
    };
    const out = toString(adfToHtml(doc));
    expect(out).toContain('<h2>Portfolio</h2>');
    expect(out).toContain('<th><p>Key</p></th>');
    expect(out).toContain('<span class="lozenge red">RED</span>');
    expect(out).toContain('<strong>link</strong>');
    expect(out).not.toContain('javascript:');
  });

  it('says so when the export is not ADF', () => {
    expect(toString(adfToHtml({ type: 'paragraph' }))).toContain('not an ADF document');
    expect(toString(adfToHtml({ type: 'doc', content: [{ type: 'mediaSingle' }] }))).toContain('[mediaSingle]');
  });
});
