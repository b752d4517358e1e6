import { Alert } from '../../components/alert.js';
import { useAppStore } from '../../store/index.js';
import { AuthLayout } from './auth-layout.js';

/** Shown when the core cannot be reached: no host token in this tab, or the host stopped. */
export function Unreachable() {
  const message = useAppStore((s) => s.bootError);
  const boot = useAppStore((s) => s.boot);
  return (
    <AuthLayout>
      <h1 className="auth__title">Custos cannot open the workspace</h1>
      <Alert kind="error">{message ?? 'The Custos core did not answer.'}</Alert>
      <p className="muted">
        In the browser, open the exact address that <code>custos serve</code> printed; it carries a one-time access token. If the
        command was stopped, start it again.
      </p>
      <button type="button" className="btn btn--block" onClick={() => void boot()}>
        Try again
      </button>
    </AuthLayout>
  );
}
