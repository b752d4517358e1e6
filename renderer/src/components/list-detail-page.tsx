import type { ReactNode } from 'react';
import { Alert } from './alert.js';
import './list-detail.css';
import { PageHeader } from './page-header.js';

/**
 * The layout of a list/detail screen: title, what it is for and its actions; a toolbar of filters
 * and the count; the core's error; the list (or, when nothing exists yet, `empty`) with the open
 * item's detail beside it. `children` are the screen's dialogs.
 */
export function ListDetailPage({
  title,
  subtitle,
  actions,
  tabs,
  toolbar,
  error,
  empty,
  list,
  detail,
  children,
}: {
  title: string;
  subtitle: ReactNode;
  /** The header's buttons; present but empty (a role that may not act) still keeps their place. */
  actions?: ReactNode;
  /** Anything under the title, e.g. the tabs of an area. */
  tabs?: ReactNode;
  toolbar: ReactNode;
  error?: string | null;
  /** Shown instead of the list when given (the list is empty and no filter is set). */
  empty?: ReactNode;
  list: ReactNode;
  /** The open item's pane; falsy when none is open. */
  detail?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page page--fill ferpa">
      <PageHeader tight title={title} subtitle={subtitle} actions={actions}>
        {tabs}
      </PageHeader>
      <div className="ferpa-toolbar">{toolbar}</div>
      {error && <Alert kind="error">{error}</Alert>}
      <div className={detail ? 'ferpa-split ferpa-split--detail' : 'ferpa-split'}>
        {empty || list}
        {detail}
      </div>
      {children}
    </div>
  );
}
