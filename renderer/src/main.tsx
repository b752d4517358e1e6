import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { applyTheme } from './lib/theme.js';
import { connectCoreEvents, useAppStore } from './store/index.js';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/auth.css';
import './styles/frame.css';
import './styles/views.css';
import './styles/ledger.css';

// Theme before first paint, so a dark-mode user never sees a white flash.
applyTheme(useAppStore.getState().theme);
connectCoreEvents();
window.addEventListener('popstate', () => useAppStore.getState().syncRouteFromUrl());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
