import { createRemoteJWKSet, jwtVerify } from 'jose';
import type * as oauth from 'oauth4webapi';
import { BffError } from '../errors.js';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** The provider's signing keys, fetched once per `jwks_uri` (jose caches and refreshes them). */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Verifies an OpenID Connect back-channel logout token (§2.6): signed by the provider's keys, its
 * issuer and audience, at most five minutes old, the logout event, no nonce, a `sub` or a `sid`.
 */
export async function verifyLogoutToken(
  as: oauth.AuthorizationServer,
  clientId: string,
  token: string,
): Promise<{ subject?: string; sid?: string }> {
  if (!as.jwks_uri) throw new BffError('config_invalid', 'The provider has no jwks_uri');
  let keys = keySets.get(as.jwks_uri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(as.jwks_uri));
    keySets.set(as.jwks_uri, keys);
  }
  const { payload } = await jwtVerify(token, keys, {
    issuer: as.issuer,
    audience: clientId,
    maxTokenAge: '5 min',
  });
  const events = payload.events as Record<string, unknown> | undefined;
  const { sub, sid } = payload as { sub?: string; sid?: unknown };
  if (!events || typeof events[BACKCHANNEL_EVENT] !== 'object' || 'nonce' in payload) {
    throw new BffError('login_invalid', 'Not a logout token');
  }
  if (!sub && typeof sid !== 'string') throw new BffError('login_invalid', 'No sub or sid');
  return { ...(sub && { subject: sub }), ...(typeof sid === 'string' && { sid }) };
}
