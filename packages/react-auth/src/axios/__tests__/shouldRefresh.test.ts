import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { defaultShouldRefresh } from '../shouldRefresh.js';

const failure = (status: number, headers: Record<string, string> = {}) =>
  new AxiosError('failed', 'ERR_BAD_REQUEST', undefined, undefined, {
    status,
    // Axios hands over response header names in lower case, as Node and XHR give them.
    headers: new AxiosHeaders(headers),
  } as AxiosResponse);

describe('defaultShouldRefresh', () => {
  it('is true for a 401 without WWW-Authenticate', () => {
    expect(defaultShouldRefresh(failure(401))).toBe(true);
  });

  it.each([
    'Bearer realm="x", error="invalid_token"',
    'Bearer error=invalid_token',
    'Bearer ERROR="INVALID_TOKEN"',
  ])('is true for a 401 with %s', (challenge) => {
    expect(defaultShouldRefresh(failure(401, { 'www-authenticate': challenge }))).toBe(true);
  });

  it('is false for a 401 whose challenge names another error, or no error', () => {
    expect(
      defaultShouldRefresh(failure(401, { 'www-authenticate': 'Bearer error="invalid_request"' })),
    ).toBe(false);
    expect(defaultShouldRefresh(failure(401, { 'www-authenticate': 'Bearer realm="x"' }))).toBe(
      false,
    );
  });

  it('is false for 403, 400 and 500, and for no response at all', () => {
    expect(defaultShouldRefresh(failure(403))).toBe(false);
    expect(defaultShouldRefresh(failure(400))).toBe(false);
    expect(defaultShouldRefresh(failure(500))).toBe(false);
    expect(defaultShouldRefresh(new AxiosError('offline', 'ERR_NETWORK'))).toBe(false);
  });
});
