import {
  AxiosError,
  AxiosHeaders,
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
} from 'axios';
import { describe, expect, it, vi } from 'vitest';
import {
  AuthConfigError,
  AuthError,
  AuthRequestError,
  parseTokenResponse,
  tokenlaneServer,
} from '@tokenlane/core';
import { createAuthCalls } from '@tokenlane/core/adapter';
import { createAxiosPost, axiosAuthError } from '../transport.js';

const answered = (status: number, data: unknown, headers: Record<string, string> = {}) =>
  new AxiosError('failed', 'ERR_BAD_RESPONSE', undefined, undefined, {
    status,
    data,
    // Axios hands over response header names in lower case, as Node and XHR give them.
    headers: new AxiosHeaders(headers),
  } as AxiosResponse);

describe('parseTokenResponse', () => {
  it('reads accessToken, expiresIn and user', () => {
    const user = { id: 'u' };
    expect(parseTokenResponse({ accessToken: 'a', expiresIn: 9, user, extra: 1 })).toEqual({
      accessToken: 'a',
      expiresIn: 9,
      user,
    });
  });

  it.each([undefined, null, {}, { accessToken: '' }, { accessToken: 42 }])(
    'rejects %j with invalid_token_response',
    (data) => {
      const error: unknown = (() => {
        try {
          return parseTokenResponse(data);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: 'invalid_token_response', message: 'No accessToken' });
    },
  );
});

describe('axiosAuthError', () => {
  it("carries the server's code, message, status and Retry-After", () => {
    const error = axiosAuthError(
      answered(429, { error: 'rate_limited', message: 'Slow down' }, { 'retry-after': '42' }),
    );
    expect(error).toBeInstanceOf(AuthRequestError);
    expect(error).toMatchObject({ code: 'rate_limited', message: 'Slow down', status: 429 });
    expect((error as AuthRequestError).retryAfter).toBe(42);
  });

  it('falls back to http_<status> for a body without an error code', () => {
    const cause = answered(502, '<html>bad gateway</html>');
    const error = axiosAuthError(cause);
    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({ code: 'http_502', message: 'HTTP 502', status: 502 });
    expect((error as AuthRequestError).retryAfter).toBeUndefined();
  });

  it('ignores non-string error fields and a Retry-After that is not a number', () => {
    const error = axiosAuthError(
      answered(401, { error: 7, message: { no: 1 } }, { 'retry-after': 'soon' }),
    );
    expect(error).toMatchObject({ code: 'http_401', message: 'HTTP 401' });
    expect((error as AuthRequestError).retryAfter).toBeUndefined();
  });

  it('is network_error, without status, when no response arrived', () => {
    const cause = new AxiosError('offline', 'ERR_NETWORK');
    const error = axiosAuthError(cause);
    expect(error).toMatchObject({
      code: 'network_error',
      message: 'Network error',
      status: undefined,
    });
    expect(error.cause).toBe(cause);
    expect(axiosAuthError(new TypeError('boom')).code).toBe('network_error');
  });

  it('names the URL of the call, and none without a config', () => {
    expect(axiosAuthError(answered(500, {}))).toMatchObject({ code: 'http_500', status: 500 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = new AxiosError(
      'failed',
      'ERR_BAD_REQUEST',
      { url: '/auth/refresh', baseURL: 'http://app.test/', headers: new AxiosHeaders() },
      undefined,
      {
        status: 404,
        data: '',
        headers: new AxiosHeaders({}),
      } as AxiosResponse,
    );
    expect(axiosAuthError(error)).toMatchObject({
      code: 'endpoint_misconfigured',
      url: 'http://app.test/auth/refresh',
    });
    expect(axiosAuthError(answered(404, ''))).toMatchObject({ url: '' });
    warn.mockRestore();
  });

  it("reads an HTML page below 500 as misconfigured, JSON or a 5xx page as the server's answer", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const html = { 'content-type': 'text/html; charset=utf-8' };
    expect(axiosAuthError(answered(400, '<!doctype html>', html))).toBeInstanceOf(AuthConfigError);
    expect(axiosAuthError(answered(400, null, html))).toBeInstanceOf(AuthConfigError);
    expect(axiosAuthError(answered(400, { error: 'bad' }, html))).toMatchObject({ code: 'bad' });
    expect(
      axiosAuthError(answered(400, null, { 'content-type': 'application/json' })),
    ).toMatchObject({ code: 'http_400' });
    expect(axiosAuthError(answered(400, '<p>', {}))).toMatchObject({ code: 'http_400' });
    expect(axiosAuthError(answered(500, '<!doctype html>', html))).toMatchObject({
      code: 'http_500',
    });
    warn.mockRestore();
  });

  it('passes an AuthError through unchanged', () => {
    const original = new AuthError('invalid_token_response', 'No accessToken');
    expect(axiosAuthError(original)).toBe(original);
  });
});

describe('createAxiosPost', () => {
  it('posts JSON with the refresh cookie and the CSRF header, to the configured paths', async () => {
    const calls: Array<{ url: string; body: unknown; config: AxiosRequestConfig | undefined }> = [];
    const http = {
      post: (url: string, body: unknown, config?: AxiosRequestConfig) => {
        calls.push({ url, body, config });
        return Promise.resolve({ data: { accessToken: 'a', expiresIn: 1 } });
      },
    } as unknown as AxiosInstance;
    const transport = createAuthCalls(
      tokenlaneServer,
      { login: '/in', refresh: '/again', logout: '/out' },
      parseTokenResponse,
      createAxiosPost(http, 'https://api.example.com'),
    );
    await transport.login({ email: 'a@b.c', password: 'p' });
    await transport.refresh(null);
    await transport.logout(null);
    expect(calls.map((call) => [call.url, call.body])).toEqual([
      ['/in', { email: 'a@b.c', password: 'p' }],
      ['/again', {}],
      ['/out', {}],
    ]);
    for (const { config } of calls) {
      expect(config).toEqual({
        baseURL: 'https://api.example.com',
        withCredentials: true,
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
      });
    }
  });
});
