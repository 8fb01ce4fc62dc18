import { describe, expect, it, vi } from 'vitest';
import type { CrossTabMessage } from '../channel.js';
import { createCrossTabHandler } from '../crossTabSync.js';
import type { SessionMark } from '../sessionMark.js';

// What a tab takes from another, by session marks (issue 31): the handler alone, on a fake tab.

function tab(mark: SessionMark, recorded: SessionMark = mark, token: string | null = 't1') {
  const target = {
    currentToken: () => token,
    renewalAt: () => 100,
    mark: () => mark,
    recorded: () => recorded,
    holdToken: vi.fn(),
    signOutRemotely: vi.fn(),
    applied: vi.fn(),
  };
  return { target, handle: createCrossTabHandler(target) };
}
const token = (fields: Partial<Extract<CrossTabMessage, { type: 'token' }>>) =>
  ({
    type: 'token',
    token: 't2',
    user: null,
    expiresAt: null,
    lifetimeMs: null,
    at: 200,
    seq: 1,
    sid: 's',
    ...fields,
  }) as CrossTabMessage;

describe('createCrossTabHandler', () => {
  it('takes a later renewal of its own session, and reports it applied', () => {
    const { target, handle } = tab({ seq: 1, sid: 's' });
    handle(token({}));
    expect(target.holdToken).toHaveBeenCalledTimes(1);
    expect(target.applied).toHaveBeenCalledWith('token');
  });

  it("ignores a token of an older session, though the browser's record has not moved (no storage)", () => {
    const { target, handle } = tab({ seq: 3, sid: 'mine' }, { seq: 0, sid: null });
    handle(token({ seq: 2, sid: 'older' }));
    expect(target.holdToken).not.toHaveBeenCalled();
    handle(token({ seq: 4, sid: 'newer' }));
    expect(target.holdToken).toHaveBeenCalledTimes(1);
  });

  it('ignores a renewal of its own session that is not later, or carries the token it holds', () => {
    const { target, handle } = tab({ seq: 1, sid: 's' });
    handle(token({ at: 100 }));
    handle(token({ at: undefined }));
    handle(token({ token: 't1', at: 300 }));
    expect(target.holdToken).not.toHaveBeenCalled();
    expect(target.applied).not.toHaveBeenCalled();
  });

  it('takes a token of a later session, never of an earlier or an unnamed one', () => {
    const { target, handle } = tab({ seq: 2, sid: 'm' });
    handle(token({ seq: 1, sid: 'z', at: 999 }));
    handle(token({ seq: 2, sid: 'a' }));
    handle(token({ seq: 3, sid: null }));
    handle(token({ seq: undefined }));
    expect(target.holdToken).not.toHaveBeenCalled();
    handle(token({ seq: 2, sid: 'z' }));
    handle(token({ seq: 3, sid: 'b', at: 1 }));
    expect(target.holdToken).toHaveBeenCalledTimes(2);
  });

  it("ignores what the browser's record already knows came after (a message that arrives late)", () => {
    const { target, handle } = tab({ seq: 1, sid: 's' }, { seq: 2, sid: null });
    handle(token({}));
    handle({ type: 'logout', seq: 1, reason: 'user' });
    expect(target.holdToken).not.toHaveBeenCalled();
    expect(target.signOutRemotely).not.toHaveBeenCalled();
    handle({ type: 'logout', seq: 2, reason: 'idle' });
    expect(target.signOutRemotely).toHaveBeenCalledExactlyOnceWith(2, 'idle');
    expect(target.applied).toHaveBeenCalledWith('logout');
  });

  it('takes a sign-out only if it came after its own sign-in (a tie: the sign-out wins)', () => {
    const { target, handle } = tab({ seq: 2, sid: 's' });
    handle({ type: 'logout', seq: 1, reason: 'user' });
    expect(target.signOutRemotely).not.toHaveBeenCalled();
    handle({ type: 'logout', seq: 2, reason: 'remote' });
    expect(target.signOutRemotely).toHaveBeenCalledExactlyOnceWith(2, 'remote');
    const out = tab({ seq: 2, sid: null });
    out.handle({ type: 'logout', seq: 2, reason: 'user' });
    expect(out.target.signOutRemotely).not.toHaveBeenCalled();
  });

  it('ignores messages of other kinds and of older versions', () => {
    const { target, handle } = tab({ seq: 1, sid: 's' });
    handle({ type: 'activity', at: 5 });
    handle({ type: 'lock', name: 'x', id: 'i', claim: true });
    handle({ type: 'logout', reason: 'user' } as unknown as CrossTabMessage);
    expect(target.applied).not.toHaveBeenCalled();
    expect(target.signOutRemotely).not.toHaveBeenCalled();
  });
});
