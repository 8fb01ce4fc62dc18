import type { BrowserContext, Page, Response } from 'playwright-core';

/** A tab that records the BFF calls its page makes and every answer it is served. */
export interface RecordedTab {
  page: Page;
  /** The URLs of the page's calls to `/bff/*` (a refresh at start would be one). */
  bffCalls: string[];
  /** Every answer the tab received from the app (documents, route handlers, server actions). */
  answers: Response[];
}

/** Opens a tab in `context` that records its page's calls (see `RecordedTab`). */
export async function recordedTab(context: BrowserContext, origin: string): Promise<RecordedTab> {
  const page = await context.newPage();
  const tab: RecordedTab = { page, bffCalls: [], answers: [] };
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/bff/')) tab.bffCalls.push(request.url());
  });
  page.on('response', (response) => {
    if (response.url().startsWith(origin)) tab.answers.push(response);
  });
  return tab;
}

/** The most `Set-Cookie` headers any of `answers` carried (the session cookie: at most one). */
export async function mostCookiesPerAnswer(answers: Response[]): Promise<number> {
  const counts = await Promise.all(
    answers.map(
      async (answer) =>
        (await answer.headersArray()).filter(({ name }) => name.toLowerCase() === 'set-cookie')
          .length,
    ),
  );
  return Math.max(0, ...counts);
}

/** Loaded, rendered by the server, and hydrated: its scripts ran and a hook answered. */
export async function hydrated(page: Page): Promise<void> {
  await page.getByTestId('user').waitFor();
  await page.waitForFunction(() => document.readyState === 'complete');
  // A start-up call would leave within the first task after load: give it room to show.
  await new Promise((resolve) => setTimeout(resolve, 300));
}
