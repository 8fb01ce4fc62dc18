// The configurable server profiles, apart from the root (which has the default, `tokenlaneServer`):
// an app bundles the one it uses, and the root's `export *` stays within its guard.
export { bodyTokenServer, cookieServer } from './core/serverProfile.js';

export type { BodyTokenServerOptions, ProfileOptions, TokenScheme } from './core/serverProfile.js';
