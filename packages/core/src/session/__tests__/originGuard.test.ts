import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOriginGuard, originOf } from '../originGuard.js';

const request = (url: string, baseURL?: string) => ({ url, baseURL });

describe('originOf', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('resolves relative URLs against the page, or a stand-in without one', () => {
    expect(originOf('https://api.example.com/x')).toBe('https://api.example.com');
    expect(originOf('/api')).toBe('http://tokenlane.invalid');
    vi.stubGlobal('location', { href: 'https://app.example.com/page' });
    expect(originOf('/api')).toBe('https://app.example.com');
  });

  it('is undefined for what is not a URL', () => {
    expect(originOf('http://')).toBeUndefined();
  });
});

describe('createOriginGuard', () => {
  it('allows the baseURL origin and the listed origins, nothing else', () => {
    const allow = createOriginGuard('https://api.example.com', [
      'https://cdn.example.com/any/path',
    ]);
    expect(allow(request('https://api.example.com/data'))).toBe(true);
    expect(allow(request('https://cdn.example.com/img'))).toBe(true);
    expect(allow(request('https://evil.example.com/data'))).toBe(false);
    expect(allow(request('//evil.example.com/data'))).toBe(false);
    expect(allow(request('HTTPS://api.example.com/data'))).toBe(true);
  });

  it("judges a relative URL by its request's baseURL, every time", () => {
    const allow = createOriginGuard('https://api.example.com');
    expect(allow(request('/data', 'https://api.example.com'))).toBe(true);
    expect(allow(request('/data', 'https://other.example.com'))).toBe(false);
    expect(allow(request('/data', 'https://api.example.com'))).toBe(true);
    expect(allow(request('/data', 'https://other.example.com'))).toBe(false);
  });

  it('judges protocol-relative and other-scheme URLs by their own origin, not the baseURL', () => {
    const allow = createOriginGuard('https://api.example.com');
    expect(allow(request('//evil.example.com/data', 'https://api.example.com'))).toBe(false);
    expect(allow(request('s3://evil.example.com/data', 'https://api.example.com'))).toBe(false);
    // A relative URL that merely contains '//' further on is still relative.
    expect(allow(request('/go?next=https://evil.example.com', 'https://api.example.com'))).toBe(
      true,
    );
  });

  it('allows nothing beyond the baseURL origin when no other origin is listed', () => {
    const allow = createOriginGuard('https://api.example.com');
    expect(allow(request('/data', '/'))).toBe(false);
  });

  it('treats a relative baseURL as the page origin', () => {
    const allow = createOriginGuard(undefined);
    expect(allow(request('/data'))).toBe(true);
    expect(allow(request('data'))).toBe(true);
    expect(allow(request('https://elsewhere.example.com/data'))).toBe(false);
  });
});
