import { escapeHtml, html, isSafeHtml, raw } from '../../src/views/html';

describe('escapeHtml', () => {
  it('escapes the five significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('leaves ordinary text alone', () => {
    expect(escapeHtml('Acme • 123 é')).toBe('Acme • 123 é');
  });
});

describe('html tagged template', () => {
  it('escapes interpolated strings in content and attributes', () => {
    const value = `"><script>alert(1)</script>`;
    const out = html`<p title="${value}">${value}</p>`.toString();
    expect(out).not.toContain('<script>');
    expect(out).toBe('<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('does not escape raw() or nested html fragments', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${raw('<hr>')}</p>`.toString()).toBe('<p><b>&lt;i&gt;</b><hr></p>');
  });

  it('joins arrays without separators, escaping each string item', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>`.toString()).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${['<x>', raw('<y>')]}`.toString()).toBe('&lt;x&gt;<y>');
  });

  it('renders nothing for null, undefined and booleans, and writes numbers', () => {
    expect(html`[${null}${undefined}${false}${true}${0}${42}]`.toString()).toBe('[042]');
  });

  it('cannot be spoofed by look-alike objects or strings', () => {
    const fake = { toString: () => '<script>' } as unknown as string;
    const json = JSON.parse(JSON.stringify(raw('<script>'))) as unknown as string;
    expect(html`${fake}`.toString()).not.toContain('<script>');
    expect(html`${json}`.toString()).not.toContain('<script>');
    expect(isSafeHtml(json)).toBe(false);
    expect(isSafeHtml('<b>')).toBe(false);
    expect(isSafeHtml(raw('<b>'))).toBe(true);
  });
});
