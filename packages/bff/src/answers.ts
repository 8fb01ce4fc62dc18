/** `answer` made never cached, with its own headers set and the extra ones appended. */
function uncached(
  answer: Response,
  own: Record<string, string>,
  extra: Array<[string, string]>,
): Response {
  for (const [name, value] of Object.entries({ ...own, 'Cache-Control': 'no-store' })) {
    answer.headers.set(name, value);
  }
  for (const [name, value] of extra) answer.headers.append(name, value);
  return answer;
}

/** A JSON answer that is never cached, with extra headers (`Set-Cookie` may repeat). */
export const json = (
  status: number,
  body: unknown,
  headers: Array<[string, string]> = [],
): Response =>
  uncached(
    new Response(JSON.stringify(body), { status }),
    { 'Content-Type': 'application/json; charset=utf-8' },
    headers,
  );

/** An error answer: `{ error, message }`, never a token, a cookie or a stack. */
export const problem = (
  status: number,
  error: string,
  message: string,
  headers: Array<[string, string]> = [],
): Response => json(status, { error, message }, headers);

/** A redirect for a navigation (303: the next request is a GET). */
export const redirect = (location: string, headers: Array<[string, string]> = []): Response =>
  uncached(new Response(null, { status: 303 }), { Location: location }, headers);

/**
 * The step to `location` after the provider's redirect back, as a page that moves on by itself
 * (`<meta http-equiv="refresh">`, no script). A 303 would keep the navigation cross-site: the
 * browser would not send the `SameSite=Strict` session cookie to the page it lands on, and a page
 * rendered on the server (or guarded by a proxy) would see no session right after sign-in.
 */
export function landing(location: string, headers: Array<[string, string]> = []): Response {
  const url = location.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return uncached(
    new Response(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>Signed in</title><a href="${url}">Continue</a>`,
    ),
    {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'",
      'Referrer-Policy': 'no-referrer',
    },
    headers,
  );
}
