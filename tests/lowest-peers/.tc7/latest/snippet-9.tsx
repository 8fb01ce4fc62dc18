import { createFetchClient, SessionExpiredError } from '@tokenlane/react-auth/fetch';

export const auth = createFetchClient({ baseURL: 'https://api.example.com' });

export async function loadTodos(): Promise<unknown> {
  try {
    const response = await auth.fetch('https://api.example.com/api/todos');
    return await response.json();
  } catch (error) {
    if (error instanceof SessionExpiredError) return null; // show the login form
    throw error;
  }
}
