export { oauthServer } from './oauth/oauthServer.js';
export { oauthDpop, type OAuthDpop } from './oauth/oauthDpop.js';

export type { OAuthCallback, OAuthServerOptions, OAuthServerProfile } from './oauth/oauthServer.js';
