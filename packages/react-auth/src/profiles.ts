// Kept for 0.1 imports: the profiles are @tokenlane/core's (and the root's).
export { bodyTokenServer, cookieServer } from '@tokenlane/core';
export type { BodyTokenServerOptions, ProfileOptions, TokenScheme } from '@tokenlane/core';
