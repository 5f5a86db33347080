import { deviceLabel } from '../../src/core/device-label';

describe('deviceLabel', () => {
  test('names only, no word of any language: it is stored and shown to readers of every language', () => {
    const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(deviceLabel(chrome)).toBe('Chrome 131 (Mac OS)');
    expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox 133 (Windows)');
  });

  test('what the header does not name is left out; nothing named is "" (the pages word it)', () => {
    expect(deviceLabel(undefined)).toBe('');
    expect(deviceLabel('')).toBe('');
    expect(deviceLabel('curl/8.5.0')).toBe('');
    expect(deviceLabel('Mozilla/5.0 (X11; Linux x86_64)')).toBe('Linux');
  });
});
