'use client';

import { useAuth } from '@tokenlane/react-auth/fetch';
import { useState } from 'react';
import { whoAmI } from './actions';

/** A client component: the hooks work after hydration, and a server action calls the API. */
export function Profile() {
  const { user, logout } = useAuth();
  const [actionUser, setActionUser] = useState('');
  return (
    <section>
      <p>
        Signed in as <strong data-testid="user">{user?.email ?? user?.sub}</strong>
      </p>
      <button type="button" onClick={() => void whoAmI().then(setActionUser)}>
        Ask the API from a server action
      </button>
      <output data-testid="action-user">{actionUser}</output>
      <button type="button" onClick={() => void logout().then(() => location.assign('/'))}>
        Sign out
      </button>
    </section>
  );
}
