import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AuthProvider, createAuthClient } from '@tokenlane/react-auth';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createEventLog } from './eventLog.js';
import './styles.css';

const auth = createAuthClient({ baseURL: '/' });
const log = createEventLog(auth);
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000 } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider client={auth}>
        <App log={log} />
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
