import { lazy, Suspense } from 'react';

// Bundlers replace process.env.NODE_ENV (Vite: or use import.meta.env.DEV).
const TokenlaneDevtools =
  process.env.NODE_ENV !== 'production'
    ? lazy(() =>
        import('@tokenlane/react-auth/devtools').then((m) => ({ default: m.TokenlaneDevtools })),
      )
    : () => null;

export function Devtools() {
  return (
    <Suspense fallback={null}>
      <TokenlaneDevtools />
    </Suspense>
  );
}
