import { AuthRequestError, useAuth } from '@tokenlane/react-auth';
import { useState, type FormEvent } from 'react';
import { signedOutForIdle } from './idle.js';

const ACCOUNTS = [
  { label: 'Demo user', email: 'demo@tokenlane.dev', password: 'correct-horse-battery-staple' },
  { label: 'Admin', email: 'admin@tokenlane.dev', password: 'admin-horse-battery-staple' },
];

/**
 * The sign-in form; as "Switch user" (`onDone`) it signs someone else in over the live session,
 * which ends it (in every tab, and at the server).
 */
export function LoginForm({
  title = 'Sign in',
  onDone,
}: { title?: string; onDone?: () => void } = {}) {
  const { login } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const emailProblem = !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)
    ? 'Enter a valid email address.'
    : null;
  const passwordProblem = password.length === 0 ? 'Enter your password.' : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (emailProblem || passwordProblem) return;
    setPending(true);
    setError(null);
    try {
      await login({ email, password });
      onDone?.();
    } catch (caught) {
      setError(
        caught instanceof AuthRequestError ? caught.message : 'Something went wrong. Try again.',
      );
      setPending(false);
    }
  }

  return (
    <section className="card login" aria-labelledby="login-title">
      <h1 id="login-title">{title}</h1>
      {signedOutForIdle() ? (
        <p className="notice" role="status" data-testid="idle-signed-out">
          You were signed out because nobody used this app for a while, in any tab.
        </p>
      ) : null}
      <p className="muted">
        Access tokens in this demo are short-lived on purpose: stay a while and watch them renew
        without a single failed request.
      </p>
      <form data-testid="login-form" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
          problem={touched ? emailProblem : null}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          problem={touched ? passwordProblem : null}
        />
        {error ? (
          <p className="alert" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" data-testid="login-submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        {onDone ? (
          <button type="button" className="ghost" onClick={onDone}>
            Cancel
          </button>
        ) : null}
      </form>
      <div className="accounts">
        <p className="muted">Demo accounts</p>
        {ACCOUNTS.map((account) => (
          <button
            key={account.email}
            type="button"
            className="ghost account"
            onClick={() => {
              setEmail(account.email);
              setPassword(account.password);
            }}
          >
            <strong>{account.label}</strong>
            <span>
              {account.email} / {account.password}
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}

interface FieldProps {
  id: 'email' | 'password';
  label: string;
  type: string;
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
  problem: string | null;
}

/** A labelled input with its validation message (`data-testid="login-<id>"`). */
function Field({ id, label, type, autoComplete, value, onChange, problem }: FieldProps) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={`login-${id}`}
        type={type}
        autoComplete={autoComplete}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-problem`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={`${id}-problem`} className="field-error">
        {problem}
      </p>
    </>
  );
}
