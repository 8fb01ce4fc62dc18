import type { AxiosLike } from '../dpop/dpopAxios.js';
import type { AuthChannel } from './channel.js';
import type { LockFunc } from './lock.js';
import type { SessionPort } from './port.js';
import type { Runtime } from './runtime.js';
import type { AnswerInfo } from './serverProfile.js';
import type { AuthTransport, LogoutReason, Session } from './types.js';

/** The auth calls and the refresh lock, before the session is made: what `wrap` may decorate. */
export interface SessionParts {
  transport: AuthTransport<unknown, never>;
  lock: LockFunc;
}

/** What a plug-in's `setup` is handed: the session and the parts around it. */
export interface PluginContext {
  session: Session<unknown, never>;
  /** The adapters' view of the session (the current token, the shared refresh). */
  port: SessionPort;
  runtime: Runtime;
  /** The cross-tab channel (`undefined` without cross-tab). */
  channel: AuthChannel<unknown> | undefined;
  /** The cross-tab lock (a page-local one without cross-tab). */
  lock: LockFunc;
  /** Ends the session in every tab, at the server too, with `reason`. */
  end: (reason: LogoutReason) => Promise<void>;
  /**
   * The server profile: whether its auth calls are its own (`calls`) and sign DPoP proofs, and the
   * header that carries a token (`authorization`).
   */
  profile: {
    calls?: unknown;
    dpopCalls?: boolean;
    authorization: (token: string) => [name: string, value: string];
  };
}

/** A holder of the client's proof-of-possession key (DPoP): what a profile's own calls sign with. */
export interface DpopKeys {
  keyPair: () => Promise<CryptoKeyPair>;
}

/** What a plug-in adds to a client; every part is optional. */
export interface PluginHooks {
  /** The header and value that carry the access token, instead of the profile's (DPoP). */
  authorization?: (token: string) => [name: string, value: string];
  /** Wraps the `fetch` under the client's requests and its fetch auth calls (DPoP's proofs). */
  wrapFetch?: (
    underlying: () => typeof fetch,
    isAuthEndpoint: (url: string) => boolean,
  ) => typeof fetch;
  /** Adds interceptors to an axios instance of the client; returns their removal (DPoP). */
  attachAxios?: (instance: AxiosLike, isAuthEndpoint: (url: string) => boolean) => () => void;
  /**
   * A refused answer this plug-in resolves (step-up): a promise that settles when the request may
   * be sent once more (it rejects to fail it), or `undefined` when the answer is not its own.
   */
  retryAfter?: (answer: AnswerInfo) => Promise<void> | undefined;
  /** Run once by the client's `dispose()`. */
  dispose?: () => void;
}

/**
 * An opt-in capability of a client, given in its `plugins` option: DPoP, step-up, idle sign-out,
 * tracing, and your own. The core knows none of them; each hooks in here, so an app that uses
 * none ships none of their code.
 */
export interface TokenlanePlugin extends Partial<DpopKeys> {
  /** Its name (`'dpop'`, `'step-up'`, `'idle'`, `'otel'`): one plug-in of a name per client. */
  readonly name: string;
  /** Decorates the auth calls and the refresh lock before the session is made (tracing). */
  wrap?: (parts: SessionParts) => SessionParts;
  /** Called once, when the client is made; what it returns hooks into the client. */
  setup?: (context: PluginContext) => PluginHooks | void;
}
