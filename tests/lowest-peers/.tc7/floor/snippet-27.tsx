import { createAuthClient } from '@tokenlane/react-auth/client';
import { HttpCookieAgent, HttpsCookieAgent } from 'http-cookie-agent/http';
import { CookieJar } from 'tough-cookie';

const cookies = { jar: new CookieJar() };
const auth = createAuthClient({
  baseURL: 'http://127.0.0.1:4000',
  http: {
    httpAgent: new HttpCookieAgent({ cookies }),
    httpsAgent: new HttpsCookieAgent({ cookies }),
  },
});

export async function main() {
  await auth.login({ email: 'demo@tokenlane.dev', password: 'correct-horse-battery-staple' });
  const todos = await auth.axios.get('/api/todos');
  console.log(todos.data);
}
