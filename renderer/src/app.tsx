import { useEffect } from 'react';
import { Notices } from './components/notices.js';
import { Spinner } from './components/spinner.js';
import { applyTheme } from './lib/theme.js';
import { useAppStore } from './store/index.js';
import { Unreachable } from './views/auth/unreachable.js';
import { CreateWorkspace } from './views/auth/create-workspace.js';
import { EnrolmentRequired } from './views/auth/enrolment-required.js';
import { SignIn } from './views/auth/sign-in.js';
import { AppFrame } from './views/frame/app-frame.js';

/** Chooses the screen from the workspace state: first run, locked, or the app itself. */
export function App() {
  const phase = useAppStore((s) => s.phase);
  const boot = useAppStore((s) => s.boot);
  const theme = useAppStore((s) => s.theme);
  const mfaRestricted = useAppStore((s) => s.mfaRestricted);

  useEffect(() => {
    void boot();
  }, [boot]);

  useEffect(() => applyTheme(theme), [theme]);

  return (
    <>
      {phase === 'booting' && (
        <div className="boot">
          <Spinner label="Opening Custos…" />
        </div>
      )}
      {phase === 'unreachable' && <Unreachable />}
      {phase === 'uninitialized' && <CreateWorkspace />}
      {phase === 'locked' && <SignIn />}
      {phase === 'unlocked' && (mfaRestricted ? <EnrolmentRequired /> : <AppFrame />)}
      <Notices />
    </>
  );
}
