import { useEffect, useState } from 'react';
import { HeaderButton, PageHeader } from '../../components/page-header.js';
import type { ImportList } from '../../store/audit-slice.js';
import { useAppStore } from '../../store/index.js';
import { useListActions } from '../../store/use-list.js';
import { BundleDetail, type BundleTab } from './bundle-detail.js';
import { ImportDialog } from './import-dialog.js';
import { ImportsOverview } from './imports-overview.js';

const TABS: readonly BundleTab[] = ['overview', 'activity', 'findings'];

/**
 * Audit review: bundles imported from other workspaces, verified before anyone reads them.
 * Routes: `audit` (the list), `audit/<id>` and `audit/<id>/<tab>` (one bundle).
 */
export function AuditView() {
  const route = useAppStore((s) => s.route);
  const navigate = useAppStore((s) => s.navigate);
  const imports = useAppStore((s) => s.importList);
  const { load: loadImports } = useListActions('importList');
  const list: ImportList | null = imports.items && imports.extra ? { ...imports.extra, items: imports.items, total: imports.total ?? imports.items.length } : null;
  const openImport = useAppStore((s) => s.openImport);
  const [importing, setImporting] = useState(false);

  const [, idPart, tabPart] = route.split('/');
  const id = idPart && /^\d+$/.test(idPart) ? Number(idPart) : null;
  const tab: BundleTab = TABS.includes(tabPart as BundleTab) ? (tabPart as BundleTab) : 'overview';

  useEffect(() => {
    if (id === null) {
      void loadImports();
      void openImport(null);
    }
  }, [id, loadImports, openImport]);

  const importDialog = (
    <ImportDialog
      open={importing}
      onClose={() => setImporting(false)}
      onOpenBundle={(bundle) => {
        setImporting(false);
        navigate(`audit/${bundle}`);
      }}
    />
  );

  if (id !== null) {
    return (
      <div className={tab === 'activity' ? 'page page--fill audit' : 'page audit'}>
        <BundleDetail id={id} tab={tab} onTab={(t) => navigate(t === 'overview' ? `audit/${id}` : `audit/${id}/${t}`)} onBack={() => navigate('audit')} />
        {importDialog}
      </div>
    );
  }

  return (
    <div className="page audit">
      <PageHeader
        title="Audit review"
        subtitle="Log bundles imported from other workspaces, verified before anyone reads them, with your findings and sign-off."
        actions={
          <>
            <HeaderButton icon="refresh" onClick={() => void loadImports()}>
              Refresh
            </HeaderButton>
            <HeaderButton icon="plus" primary onClick={() => setImporting(true)}>
              Import bundle…
            </HeaderButton>
          </>
        }
      />
      <div className="page__body">
        <ImportsOverview list={list} error={imports.error} onImport={() => setImporting(true)} onOpen={(bundle) => navigate(`audit/${bundle}`)} onChanged={() => void loadImports()} />
      </div>
      {importDialog}
    </div>
  );
}
