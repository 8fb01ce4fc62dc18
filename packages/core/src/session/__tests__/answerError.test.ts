import { afterEach, describe, expect, it, vi } from 'vitest';
import { toAuthRequestError, type AuthAnswer } from '../answerError.js';
import { AuthConfigError, AuthError, AuthRequestError } from '../errors.js';

let n = 0;
/** An answer from a URL no other test used (the warning is once per URL). */
const answer = (fields: Partial<AuthAnswer>): AuthAnswer => ({
  url: `http://app.test/auth/refresh?${++n}`,
  status: 200,
  contentType: null,
  retryAfter: null,
  body: undefined,
  ...fields,
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => {});

describe('toAuthRequestError', () => {
  it('is network_error, without status, when no answer arrived', () => {
    const cause = new TypeError('fetch failed');
    const error = toAuthRequestError(undefined, cause);
    expect(error).toBeInstanceOf(AuthRequestError);
    expect(error).toMatchObject({ code: 'network_error', status: undefined, cause });
  });

  it('passes an AuthError through unchanged', () => {
    const original = new AuthError('invalid_token_response', 'No accessToken');
    expect(toAuthRequestError(undefined, original)).toBe(original);
  });

  it.each([
    ['404 without a body (Vite dev and preview)', { status: 404 }],
    ['405', { status: 405, body: { error: 'nope' } }],
    ['an HTML page with 200', { status: 200, contentType: 'text/html; charset=utf-8' }],
    ['an HTML page with 400', { status: 400, contentType: 'text/html' }],
  ])('is AuthConfigError for %s', (_, fields) => {
    quiet();
    const cause = new Error('raw');
    const given = answer(fields);
    const error = toAuthRequestError(given, cause);
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error).toMatchObject({
      code: 'endpoint_misconfigured',
      status: given.status,
      url: given.url,
      cause,
    });
    expect(error.message).toContain(given.url);
  });

  it("is the server's error for JSON, with its status and Retry-After", () => {
    const error = toAuthRequestError(
      answer({
        status: 429,
        body: { error: 'rate_limited', message: 'Slow down' },
        retryAfter: '42',
      }),
    );
    expect(error).toBeInstanceOf(AuthRequestError);
    expect(error).toMatchObject({ code: 'rate_limited', message: 'Slow down', status: 429 });
    expect((error as AuthRequestError).retryAfter).toBe(42);
  });

  it('is http_<status> for a 5xx page (an outage, not a wiring error) and ignores odd fields', () => {
    const page = toAuthRequestError(answer({ status: 502, contentType: 'text/html' }));
    expect(page).not.toBeInstanceOf(AuthConfigError);
    expect(page).toMatchObject({ code: 'http_502', message: 'HTTP 502', status: 502 });
    const odd = toAuthRequestError(
      answer({ status: 401, body: { error: 7, message: {} }, retryAfter: 'soon' }),
    );
    expect(odd).toMatchObject({ code: 'http_401', message: 'HTTP 401' });
    expect((odd as AuthRequestError).retryAfter).toBeUndefined();
  });

  it("reads a JSON body as the server's answer whatever its content type, and 500 as an outage", () => {
    quiet();
    const json = toAuthRequestError(
      answer({ status: 400, contentType: 'text/html', body: { error: 'bad_request' } }),
    );
    expect(json).toMatchObject({ code: 'bad_request', status: 400 });
    expect(json).not.toBeInstanceOf(AuthConfigError);
    const page = toAuthRequestError(answer({ status: 500, contentType: 'text/html' }));
    expect(page).not.toBeInstanceOf(AuthConfigError);
    expect(toAuthRequestError(answer({ status: 499, contentType: 'text/html' }))).toBeInstanceOf(
      AuthConfigError,
    );
  });

  it('warns once per URL outside production, naming the URL and the proxy', () => {
    const warn = quiet();
    const given = answer({ status: 404 });
    toAuthRequestError(given);
    toAuthRequestError(given);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain(given.url);
    expect(String(warn.mock.calls[0]![0])).toContain('proxy');
    toAuthRequestError(answer({ status: 404 }));
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('stays silent in production builds', () => {
    const warn = quiet();
    vi.stubEnv('NODE_ENV', 'production');
    expect(toAuthRequestError(answer({ status: 404 }))).toBeInstanceOf(AuthConfigError);
    expect(warn).not.toHaveBeenCalled();
  });
});
