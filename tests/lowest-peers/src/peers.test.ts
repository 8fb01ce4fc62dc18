import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The versions this workspace proves: the bottom of each range in the package's peerDependencies.
const require = createRequire(import.meta.url);
const versionOf = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
const peerRanges = (
  require('@tokenlane/react-auth/package.json') as {
    peerDependencies: Record<string, string>;
  }
).peerDependencies;

describe('lowest peers', () => {
  it('are installed here, at the bottom of every peer range', () => {
    expect(peerRanges).toEqual({
      '@opentelemetry/api': '^1.3.0',
      '@tanstack/react-query': '^5.80.0',
      axios: '^1.6.0',
      react: '^18.0.0 || ^19.0.0',
    });
    expect(versionOf('@tanstack/react-query')).toBe('5.80.0');
    expect(versionOf('axios')).toBe('1.6.0');
    expect(versionOf('@opentelemetry/api')).toBe('1.3.0');
    expect(versionOf('react')).toBe('18.0.0');
    expect(versionOf('react-dom')).toBe('18.0.0');
  });
});
