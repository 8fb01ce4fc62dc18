export { oauthServer } from './oauth/oauthServer.js';

export type { OAuthCallback, OAuthServerOptions, OAuthServerProfile } from './oauth/oauthServer.js';
