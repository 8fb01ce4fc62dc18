import { createAuthClient, SessionExpiredError } from '@tokenlane/react-auth';

const auth = createAuthClient({ baseURL: 'https://api.example.com', refreshLeeway: 60 });
const stop = auth.on('refresh:success', ({ expiresAt }) => console.log('renewed until', expiresAt));

export async function loadTodos(): Promise<unknown> {
  try {
    return (await auth.axios.get('/api/todos')).data;
  } catch (error) {
    if (error instanceof SessionExpiredError) return null; // show the login form
    throw error;
  } finally {
    stop();
  }
}
