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
