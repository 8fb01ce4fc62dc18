import { createFetchClient } from '@tokenlane/react-auth/fetch';
import fetchCookie from 'fetch-cookie';

const auth = createFetchClient({ baseURL: 'http://127.0.0.1:4000', fetch: fetchCookie(fetch) });

export async function main() {
  await auth.login({ email: 'demo@tokenlane.dev', password: 'correct-horse-battery-staple' });
  console.log(await (await auth.fetch('/api/todos')).json());
}
