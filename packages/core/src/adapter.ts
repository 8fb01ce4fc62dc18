// @tokenlane/core/adapter: the parts a transport adapter or a framework binding is built from
// (@tokenlane/react-auth's axios client and React bindings use them; so can a ky or Vue adapter).
// An app needs none of them: its names are in `@tokenlane/core` and the feature entries.
export { createSession } from './session/session.js';
export { wireSession } from './wireSession.js';
export { createAuthCalls } from './session/authCalls.js';
export { toAuthRequestError } from './session/answerError.js';
export { isExpiryAnswer } from './session/expiry.js';
export { guarded } from './session/requestOptions.js';
export { portOf, registerPort } from './session/devHandle.js';
export { userKeyOf } from './session/userKey.js';
export { REFRESH_RETRY_DELAYS_MS } from './session/refreshCall.js';
export { pluginOf } from './wireSession.js';

export type { PostJson } from './session/authCalls.js';
export type { AuthAnswer } from './session/answerError.js';
export type { BrowserRecord, RecordState } from './session/browserRecord.js';
export type { WiredSession } from './wireSession.js';
export type { SessionOptions } from './session/sessionOptions.js';
export type { SessionPort } from './session/port.js';
export type { AuthTransport } from './session/types.js';
