import type { CSSProperties } from 'react';
import type { AuthState } from '@tokenlane/core';

/** The dot's color for each status. */
export const COLORS: Record<AuthState<unknown>['status'], string> = {
  loading: '#999',
  authenticated: '#2e9d5b',
  unauthenticated: '#c0392b',
  unreachable: '#d68910',
};

/** The panel's inline styles (no stylesheet to ship or to clash with the app's). */
export const styles = {
  root: {
    position: 'fixed',
    zIndex: 2147483000,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-end',
    gap: 8,
    font: '12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace',
    color: '#eee',
  },
  toggle: {
    display: 'flex',
    alignItems: 'center',
    gap: 6,
    padding: '6px 10px',
    border: '1px solid #444',
    borderRadius: 16,
    background: '#1d1f23',
    color: '#eee',
    font: 'inherit',
    cursor: 'pointer',
  },
  button: {
    padding: '3px 8px',
    border: '1px solid #555',
    borderRadius: 4,
    background: '#2b2e34',
    color: 'inherit',
    font: 'inherit',
    cursor: 'pointer',
  },
  dot: { width: 8, height: 8, borderRadius: '50%', display: 'inline-block' },
  panel: {
    width: 340,
    maxHeight: '70vh',
    overflow: 'auto',
    padding: 12,
    border: '1px solid #444',
    borderRadius: 8,
    background: '#1d1f23',
    boxShadow: '0 6px 24px rgba(0,0,0,.35)',
  },
  title: { margin: '0 0 8px', fontSize: 14 },
  heading: { margin: '10px 0 4px', fontSize: 12, color: '#aaa' },
  actions: { display: 'flex', gap: 6, flexWrap: 'wrap' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    gap: '2px 10px',
    margin: '10px 0 0',
  },
  list: { margin: 0, paddingLeft: 18 },
  muted: { margin: 0, color: '#888' },
} satisfies Record<string, CSSProperties>;
