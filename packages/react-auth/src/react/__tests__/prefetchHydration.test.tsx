// @vitest-environment jsdom
import {
  dehydrate,
  HydrationBoundary,
  QueryClient,
  QueryClientProvider,
} from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthHydration,
  AuthProvider,
  authedQueryKey,
  useAuthedQuery,
  type ReactAuthClient,
} from '../../fetch.js';
import { factsFor, recordedClient } from './ssrTree.js';

// A query prefetched on the server under the rendered user's key: the browser's cache holds it
// for that user only. The server's QueryClient runs here beside the browser's.

afterEach(cleanup);

type Facts = ReturnType<typeof factsFor>;

/** What the server sends with the page: `user`'s todos, prefetched under their authed key. */
async function prefetched(facts: Facts) {
  const server = new QueryClient();
  await server.prefetchQuery({
    queryKey: authedQueryKey(['todos'], facts.user),
    queryFn: () => [`${facts.user.sub}'s todo`],
  });
  return dehydrate(server);
}

function Todos({ fetched }: { fetched: string[] }) {
  const todos = useAuthedQuery({
    queryKey: ['todos'],
    queryFn: (_api, { queryKey }) => {
      const { user } = queryKey.at(-1) as { user: string };
      fetched.push(user);
      return [`fetched for ${(JSON.parse(user) as { sub: string }).sub}`];
    },
    staleTime: Infinity,
  });
  return <p data-testid="todos">{todos.data?.join(', ') ?? 'none'}</p>;
}

async function page(client: ReturnType<typeof recordedClient>['client'], facts: Facts) {
  const fetched: string[] = [];
  const state = await prefetched(facts);
  await act(async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <AuthProvider client={client as unknown as ReactAuthClient}>
          <AuthHydration session={facts as never}>
            <HydrationBoundary state={state}>
              <Todos fetched={fetched} />
            </HydrationBoundary>
          </AuthHydration>
        </AuthProvider>
      </QueryClientProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  return fetched;
}

describe('a query prefetched on the server', () => {
  it("is the rendered user's data in the browser, with no fetch", async () => {
    const { client } = recordedClient();
    const fetched = await page(client, factsFor('ada'));
    expect(screen.getByTestId('todos').textContent).toBe("ada's todo");
    expect(fetched).toEqual([]);
  });

  it('never reaches a tab signed in as another user: it fetches its own', async () => {
    const { client } = recordedClient();
    await client.restore(factsFor('bob'));
    const fetched = await page(client, factsFor('ada'));
    await waitFor(() => expect(screen.getByTestId('todos').textContent).toBe('fetched for bob'));
    expect(fetched).toHaveLength(1);
  });
});
