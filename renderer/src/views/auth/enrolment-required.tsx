import { client } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { useAppStore } from '../../store/index.js';
import { MfaEnrolment } from '../settings/mfa-enrolment.js';
import { AuthLayout } from './auth-layout.js';
import '../settings/security.css';

/**
 * Shown instead of the app to a user whose role requires a second factor once their time to set it
 * up has passed: the core answers every other call with `mfa_enrolment_required` until it is on.
 */
export function EnrolmentRequired() {
  const user = useAppStore((s) => s.user);
  const workspace = useAppStore((s) => s.workspace);
  const enrolmentDone = useAppStore((s) => s.enrolmentDone);
  const sessionEnded = useAppStore((s) => s.sessionEnded);
  const notify = useAppStore((s) => s.notify);
  return (
    <AuthLayout wide>
      <div className="auth__intro">
        <h1 className="auth__title">Set up your second factor</h1>
        <p className="muted">
          {workspace?.name ?? 'This workspace'} requires a second factor for your role. Until it is on, you can only set it up or sign out.
        </p>
      </div>
      <Alert kind="info">The time allowed to set it up has ended.</Alert>
      <MfaEnrolment
        account={user?.username ?? ''}
        onDone={() => {
          notify('success', 'Your second factor is on. Every sign-in now asks for a code.');
          enrolmentDone();
        }}
      />
      <button
        type="button"
        className="auth__link"
        onClick={() => {
          // Only this session ends: others signed in to the workspace keep working.
          void client.call('session.logout', {}).then(() => sessionEnded('manual'));
        }}
      >
        Sign out
      </button>
    </AuthLayout>
  );
}
