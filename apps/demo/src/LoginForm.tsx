import { AuthRequestError, useAuth } from '@tokenlane/react-auth';
import { useState, type FormEvent } from 'react';

const ACCOUNTS = [
  { label: 'Demo user', email: 'demo@tokenlane.dev', password: 'correct-horse-battery-staple' },
  { label: 'Admin', email: 'admin@tokenlane.dev', password: 'admin-horse-battery-staple' },
];

export function LoginForm() {
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
    } catch (caught) {
      setError(
        caught instanceof AuthRequestError ? caught.message : 'Something went wrong. Try again.',
      );
      setPending(false);
    }
  }

  return (
    <section className="card login" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      <p className="muted">
        Access tokens in this demo are short-lived on purpose: stay a while and watch them renew
        without a single failed request.
      </p>
      <form data-testid="login-form" onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          data-testid="login-email"
          type="email"
          autoComplete="username"
          value={email}
          aria-invalid={touched && emailProblem ? true : undefined}
          aria-describedby="email-problem"
          onChange={(event) => setEmail(event.target.value)}
        />
        <p id="email-problem" className="field-error">
          {touched ? emailProblem : null}
        </p>
        <label htmlFor="password">Password</label>
        <input
          id="password"
          data-testid="login-password"
          type="password"
          autoComplete="current-password"
          value={password}
          aria-invalid={touched && passwordProblem ? true : undefined}
          aria-describedby="password-problem"
          onChange={(event) => setPassword(event.target.value)}
        />
        <p id="password-problem" className="field-error">
          {touched ? passwordProblem : null}
        </p>
        {error ? (
          <p className="alert" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" data-testid="login-submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
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
