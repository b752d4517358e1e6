import type { ReactNode } from 'react';
import { Logo } from '../../components/logo.js';

/** The frame of the screens shown before sign-in: one centred card on a quiet canvas. */
export function AuthLayout({ children, wide }: { children: ReactNode; wide?: boolean }) {
  return (
    <div className="auth">
      <main className={wide ? 'auth__card auth__card--wide' : 'auth__card'}>
        <div className="auth__brand">
          <Logo size={28} />
          <span className="auth__brand-name">Custos</span>
        </div>
        {children}
      </main>
      <p className="auth__footer">Offline · Encrypted workspace · Tamper-evident ledger</p>
    </div>
  );
}
