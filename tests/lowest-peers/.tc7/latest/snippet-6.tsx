import { useAuthedInfiniteQuery } from '@tokenlane/react-auth';

type Page = { items: string[]; next: number | null };

export function Feed() {
  const feed = useAuthedInfiniteQuery({
    queryKey: ['feed'],
    initialPageParam: 0,
    queryFn: (api, { pageParam }) =>
      api.get<Page>('/api/feed', { params: { page: pageParam } }).then((r) => r.data),
    getNextPageParam: (last) => last.next,
  });
  return (
    <button onClick={() => void feed.fetchNextPage()}>{feed.data?.pages.length ?? 0} pages</button>
  );
}
