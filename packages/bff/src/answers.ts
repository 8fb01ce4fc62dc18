/** A JSON answer that is never cached, with extra headers (`Set-Cookie` may repeat). */
export function json(
  status: number,
  body: unknown,
  headers: Array<[string, string]> = [],
): Response {
  const answer = new Response(JSON.stringify(body), { status });
  answer.headers.set('Content-Type', 'application/json; charset=utf-8');
  answer.headers.set('Cache-Control', 'no-store');
  for (const [name, value] of headers) answer.headers.append(name, value);
  return answer;
}

/** An error answer: `{ error, message }`, never a token, a cookie or a stack. */
export const problem = (
  status: number,
  error: string,
  message: string,
  headers: Array<[string, string]> = [],
): Response => json(status, { error, message }, headers);

/** A redirect for a navigation (303: the next request is a GET). */
export function redirect(location: string, headers: Array<[string, string]> = []): Response {
  const answer = new Response(null, { status: 303 });
  answer.headers.set('Location', location);
  answer.headers.set('Cache-Control', 'no-store');
  for (const [name, value] of headers) answer.headers.append(name, value);
  return answer;
}

/**
 * The step to `location` after the provider's redirect back, as a page that moves on by itself
 * (`<meta http-equiv="refresh">`, no script). A 303 would keep the navigation cross-site: the
 * browser would not send the `SameSite=Strict` session cookie to the page it lands on, and a page
 * rendered on the server (or guarded by a proxy) would see no session right after sign-in.
 */
export function landing(location: string, headers: Array<[string, string]> = []): Response {
  const url = location.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const answer = new Response(
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>Signed in</title><a href="${url}">Continue</a>`,
  );
  answer.headers.set('Content-Type', 'text/html; charset=utf-8');
  answer.headers.set('Cache-Control', 'no-store');
  answer.headers.set('Content-Security-Policy', "default-src 'none'");
  answer.headers.set('Referrer-Policy', 'no-referrer');
  for (const [name, value] of headers) answer.headers.append(name, value);
  return answer;
}
