import { useEffect, useState } from 'react';
import { RESTRICTED } from '../../../../shared/data-classes.js';
import { keptText } from '../../../../shared/kept-text.js';
import type { RecordSummary, Subject } from '../../../../shared/contract/subjects.js';
import { Alert } from '../../components/alert.js';
import { Badge } from '../../components/badge.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCountOf } from '../../components/list-toolbar.js';
import { NextStep } from '../../components/next-step.js';
import { HeaderButton } from '../../components/page-header.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { ItemTimeline } from '../../components/timeline.js';
import { formatDateTime, plural } from '../../lib/format.js';
import { useCan, useMaySearch } from '../../lib/use-can.js';
import type { SubjectQuery } from '../../store/casework-slice.js';
import { useAppStore } from '../../store/index.js';
import { useListActions, useListSearch } from '../../store/use-list.js';
import { CaseworkTabs } from './casework-ui.js';
import { ConsentsSection } from './consents.js';
import { AddRecordDialog, DependencyDialog, DirectoryOptOutDialog, EraseRecordDialog, kindLabel, NewSubjectDialog, PurgeExpiredDialog, ViewRecordDialog } from './subject-dialogs.js';

const COLUMNS: Column<Subject>[] = [
  { key: 'id', label: 'Subject', width: '130px', render: (s) => <span className="mono">{s.id}</span> },
  { key: 'name', label: 'Name', width: 'minmax(180px, 2fr)', render: (s) => <span>{s.displayName}</span>, title: (s) => s.displayName },
  { key: 'external', label: 'Id at the school', width: '130px', render: (s) => <span className="mono">{s.externalId ?? '—'}</span> },
  { key: 'kind', label: 'Kind', width: '100px', render: (s) => <span>{kindLabel(s.kind)}</span> },
  {
    key: 'directory',
    label: 'Directory info',
    width: '130px',
    render: (s) => (s.directoryOptOut ? <Badge tone="warn">opted out</Badge> : <span className="muted">disclosable</span>),
  },
  { key: 'records', label: 'Records', width: '80px', render: (s) => <span>{s.recordCount}</span> },
];

const STATUS_TONES = { active: 'neutral', archived: 'neutral', purged: 'neutral', erased: 'neutral' } as const;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Subjects and their records: people (usually students) with their FERPA 99.37 directory opt-out,
 * and records by category, each kept until the date the retention policy gives it. Shown as the
 * second tab of the Cases area (`#/cases/subjects/<id>`).
 */
export function SubjectsView() {
  const items = useAppStore((s) => s.subjectList.items);
  const error = useAppStore((s) => s.subjectList.error);
  const query = useAppStore((s) => s.subjectList.query);
  const detail = useAppStore((s) => s.subjectList.detail);
  const categories = useAppStore((s) => s.recordCategories);
  const { load, open } = useListActions('subjectList');
  const loadCategories = useAppStore((s) => s.loadRecordCategories);
  const route = useAppStore((s) => s.route);
  const navigate = useAppStore((s) => s.navigate);
  const canCreate = useCan('subjects.create');
  const canView = useCan('records.get');
  const canErase = useCan('records.erase');
  const canPurge = useCan('records.purgeExpired');
  const [search, setSearch] = useListSearch(query.search, load);
  // A search over data the role may not see is refused by the core: no box for it.
  const searchable = useMaySearch('subjects.list');
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<'record' | 'optout' | 'dependency' | 'purge' | null>(null);
  const [viewing, setViewing] = useState<RecordSummary | null>(null);
  const [erasing, setErasing] = useState<RecordSummary | null>(null);
  const [shown, setShown] = useState<{ record: RecordSummary; content: string | null; at: number } | null>(null);

  useEffect(() => {
    void loadCategories();
  }, [loadCategories]);
  // The routed subject is (re)loaded whenever the screen opens or the route changes, so coming back shows fresh records and holds.
  const routed = route.split('/')[2] ?? null;
  useEffect(() => {
    if (routed) void open(routed);
  }, [routed, open]);

  function select(id: string | null) {
    setShown(null);
    navigate(id ? `cases/subjects/${id}` : 'cases/subjects');
    if (!id) void open(null);
  }

  const s = detail?.subject;
  // "Grade records (scores, grading comments, adjustments)" → "Grade records"; the full label is the tooltip.
  const label = (key: string) => categories?.find((c) => c.key === key)?.label ?? key;
  const shortLabel = (key: string) => label(key).replace(/\s*\(.*\)\s*$/, '');
  const heldIds = new Set(Object.keys(detail?.recordHolds ?? {}));
  const expired = (detail?.records ?? []).filter((r) => r.status === 'active' && r.retentionUntil !== null && r.retentionUntil < today());
  const purgeable = expired.filter((r) => !heldIds.has(r.id));
  const expiredHeld = expired.filter((r) => heldIds.has(r.id));
  const content = shown && s && shown.record.subjectId === s.id ? shown : null;
  return (
    <ListDetailPage
      title="Subjects and records"
      subtitle="The people cases are about, their directory-information choice, and their records, each kept for as long as the retention policy says."
      tabs={<CaseworkTabs current="subjects" />}
      actions={
        canCreate && (
          <HeaderButton icon="plus" primary onClick={() => setCreating(true)}>
            New subject
          </HeaderButton>
        )
      }
      toolbar={
        <>
          {searchable && <SearchFilter label="Search" value={search} placeholder="Id, name, school id, e-mail…" onChange={setSearch} />}
          <SelectFilter label="Directory information" value={query.directory} onChange={(v) => void load({ directory: v as SubjectQuery['directory'] })}>
            <option value="">Any</option>
            <option value="out">Opted out</option>
            <option value="in">Disclosable</option>
          </SelectFilter>
          <ListCountOf list="subjectList" noun="subject" />
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !query.search &&
        !query.directory && (
          <EmptyState
            icon="users"
            title="No subjects yet"
            action={
              canCreate ? (
                <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
                  Add the first subject
                </button>
              ) : undefined
            }
          >
            A subject is a person the workspace holds records about, usually a student. Add them with their directory-information choice, then their records by category; Custos works out
            how long each record is kept.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={s?.id ?? null} onOpen={select} label="Subjects" testId="subjects-grid" />}
      detail={
        s &&
        detail && (
          <DetailPane title={s.id} badge={s.directoryOptOut ? <Badge tone="warn">directory opt-out</Badge> : undefined} onClose={() => select(null)} testId="subject-detail">
            <p className="detail__lead">{s.displayName}</p>
            {detail.holds.length > 0 && (
              <Alert kind="warn">
                Under legal hold {detail.holds.map((h) => `${h.id} (${h.title})`).join('; ')}: their records cannot be erased, purged or overwritten until {detail.holds.length === 1 ? 'the hold is' : 'every one of these holds is'} released.
              </Alert>
            )}
            <NextStep
              actions={[
                { channel: 'records.create', label: 'Add record…', primary: true, disabled: !categories, onClick: () => setDialog('record') },
                { channel: 'subjects.setDirectoryOptOut', label: s.directoryOptOut ? 'Withdraw opt-out…' : 'Record opt-out…', onClick: () => setDialog('optout') },
                s.kind === 'student' && { channel: 'subjects.setDependency', label: 'Dependent status…', onClick: () => setDialog('dependency') },
                purgeable.length > 0 && { channel: 'records.purgeExpired', label: `Purge expired (${purgeable.length})…`, danger: true, onClick: () => setDialog('purge') },
              ]}
            >
              {canPurge && expiredHeld.length > 0 && (
                <p className="muted">
                  {expiredHeld.length === 1 ? '1 record is' : `${plural(expiredHeld.length, 'record')} are`} past retention but kept: under legal hold{' '}
                  {[...new Set(expiredHeld.flatMap((r) => (detail.recordHolds[r.id] ?? []).map((h) => h.id)))].join(', ')}. They can be purged once every hold on them is released.
                </p>
              )}
            </NextStep>
            <Section title="Subject">
              <Facts
                rows={[
                  ['Kind', kindLabel(s.kind)],
                  ['Id at the school', s.externalId],
                  ['E-mail', s.email],
                  ['Date of birth', s.dateOfBirth],
                  [
                    'Directory info',
                    s.directoryOptOut ? `Opted out${s.directoryOptOutAt ? ` on ${formatDateTime(s.directoryOptOutAt)}` : ''} (34 CFR 99.37)` : 'May be disclosed as directory information',
                  ],
                  ...(s.kind === 'student'
                    ? [
                        [
                          'Dependent status',
                          s.dependency === RESTRICTED
                            ? RESTRICTED
                            : !s.dependency
                            ? 'Not recorded: parents need the student’s written consent'
                            : `${s.dependency.dependent ? 'Dependent: parents may receive records (34 CFR 99.31(a)(8))' : 'Not a dependent: parents need the student’s consent'}; since ${formatDateTime(s.dependency.since)}, on: ${s.dependency.evidence}`,
                        ] as [string, string],
                      ]
                    : []),
                  ['Added', formatDateTime(s.createdAt)],
                ]}
              />
            </Section>
            <Section title={`Records (${detail.records.length})`}>
              {detail.records.length === 0 ? (
                <p className="muted">No records yet.</p>
              ) : (
                <div className="casework-table casework-records" tabIndex={0} role="region" aria-label={`Records of ${s.id}`}>
                  <table className="table" data-testid="subject-records">
                    <caption className="visually-hidden">Records of {s.displayName}, newest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Record</th>
                        <th scope="col">Category and title</th>
                        <th scope="col">Retention</th>
                      </tr>
                    </thead>
                    <tbody>
                      {detail.records.map((r) => {
                        const holds = detail.recordHolds[r.id] ?? [];
                        const past = r.status === 'active' && r.retentionUntil !== null && r.retentionUntil < today();
                        return (
                          <tr key={r.id} data-record={r.id}>
                            <td className="casework-records__id">
                              <div className="mono">{r.id}</div>
                              <div className="muted">{r.recordDate}</div>
                            </td>
                            <td>
                              <div>{r.status === 'active' ? r.title : <Badge tone={STATUS_TONES[r.status]}>{r.status}</Badge>}</div>
                              <div className="muted" title={label(r.category)}>
                                {shortLabel(r.category)}
                              </div>
                              {holds.length > 0 && (
                                <Badge tone="danger" title={holds.map((h) => `${h.id}: ${h.title}`).join('\n')}>
                                  held · {holds.map((h) => h.id).join(', ')}
                                </Badge>
                              )}
                              {r.status === 'active' && (
                                <span className="ferpa-actions">
                                  {canView && (
                                    <button type="button" className="btn btn--ghost btn--sm" onClick={() => setViewing(r)} aria-label={`View ${r.id}`}>
                                      View
                                    </button>
                                  )}
                                  {canErase && (
                                    <button
                                      type="button"
                                      className="btn btn--ghost btn--sm"
                                      onClick={() => setErasing(r)}
                                      aria-label={`Erase ${r.id}`}
                                      disabled={holds.length > 0}
                                      title={holds.length > 0 ? `Under legal hold ${holds.map((h) => h.id).join(', ')}; release the hold first.` : undefined}
                                    >
                                      Erase…
                                    </button>
                                  )}
                                </span>
                              )}
                            </td>
                            <td>
                              {keptText(r.retentionUntil, categories?.find((c) => c.key === r.category)?.action)}
                              {past && (
                                <div>
                                  <Badge tone="warn">past retention</Badge>
                                </div>
                              )}
                              {r.status !== 'active' && r.destroyedAt && <div className="muted">{`${r.status === 'purged' ? 'Purged' : 'Erased'} ${formatDateTime(r.destroyedAt)}`}</div>}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
            <ConsentsSection key={s.id} subject={s} categories={categories ?? []} />
            {content && (
              <Section title={`Content of ${content.record.id}`} actions={<button type="button" className="btn btn--ghost btn--sm" onClick={() => setShown(null)}>Hide</button>}>
                <pre className="casework-preview" data-testid="record-content">
                  {content.content ?? '(no content left)'}
                </pre>
              </Section>
            )}
            {content && <ItemTimeline resourceType="record" resourceId={content.record.id} version={String(content.at)} />}
            <ItemTimeline resourceType="subject" resourceId={s.id} version={s.updatedAt} />
          </DetailPane>
        )
      }
    >
      <NewSubjectDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => select(id)} />
      {s && detail && (
        <>
          <AddRecordDialog open={dialog === 'record'} subject={s} categories={categories ?? []} onClose={() => setDialog(null)} />
          <DirectoryOptOutDialog open={dialog === 'optout'} subject={s} onClose={() => setDialog(null)} />
          <DependencyDialog open={dialog === 'dependency'} subject={s} onClose={() => setDialog(null)} />
          <PurgeExpiredDialog open={dialog === 'purge'} records={purgeable} categories={categories ?? []} onClose={() => setDialog(null)} />
          <ViewRecordDialog record={viewing} onClose={() => setViewing(null)} onLoaded={(c) => viewing && setShown({ record: viewing, content: c, at: Date.now() })} />
          <EraseRecordDialog record={erasing} onClose={() => setErasing(null)} />
        </>
      )}
    </ListDetailPage>
  );
}
