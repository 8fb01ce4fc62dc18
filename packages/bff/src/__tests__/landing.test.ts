import { describe, expect, it } from 'vitest';
import { landing } from '../answers.js';

describe('the landing page after the provider sends the browser back', () => {
  it('moves on to the path by a meta refresh, its characters escaped, with every cookie', async () => {
    const answer = landing('/a?b=1&c="><script>x</script>', [
      ['Set-Cookie', 'one=1'],
      ['Set-Cookie', 'two=2'],
    ]);
    expect(answer.status).toBe(200);
    const html = await answer.text();
    expect(html).toContain(
      '<meta http-equiv="refresh" content="0;url=/a?b=1&#38;c=&#34;&#62;&#60;script&#62;x&#60;/script&#62;">',
    );
    expect(html).not.toContain('<script');
    expect(answer.headers.getSetCookie()).toEqual(['one=1', 'two=2']);
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});
