import { useState } from 'react';
import { CASE_STATUSES, CASE_TYPES, type CaseStatus, type CaseSummary, type CaseType } from '../../../../shared/contract/cases.js';
import { StateBadge } from '../../components/badge.js';
import { DetailPane, Facts, Section } from '../../components/detail-pane.js';
import { EmptyState } from '../../components/empty-state.js';
import { ItemTable, type Column } from '../../components/item-table.js';
import { ListDetailPage } from '../../components/list-detail-page.js';
import { ListCountOf } from '../../components/list-toolbar.js';
import { NextStep } from '../../components/next-step.js';
import { HeaderButton } from '../../components/page-header.js';
import { SearchFilter } from '../../components/search-filter.js';
import { SelectFilter } from '../../components/select-filter.js';
import { EventList } from '../../components/timeline.js';
import { formatDateTime, formatRelative, plural } from '../../lib/format.js';
import { useCan } from '../../lib/use-can.js';
import type { CaseQuery } from '../../store/casework-slice.js';
import { useAppStore } from '../../store/index.js';
import { useListPage } from '../../store/use-list.js';
import { CreateHoldDialog } from '../holds/hold-dialogs.js';
import { AssignDialog, LinkDialog, NewCaseDialog, NoteDialog, StatusDialog } from './case-dialogs.js';
import { CASE_TONES, CASE_TYPE_LABELS, CaseworkTabs, HOLD_TONES } from './casework-ui.js';
import { SubjectsView } from './subjects-view.js';

const COLUMNS: Column<CaseSummary>[] = [
  { key: 'id', label: 'Case', width: '140px', render: (c) => <span className="mono">{c.id}</span> },
  { key: 'title', label: 'Title', width: 'minmax(200px, 2fr)', render: (c) => <span>{c.title}</span>, title: (c) => c.title },
  { key: 'type', label: 'Type', width: '110px', render: (c) => <span>{CASE_TYPE_LABELS[c.type]}</span> },
  { key: 'status', label: 'Status', width: '100px', render: (c) => <StateBadge state={c.status} tones={CASE_TONES} /> },
  { key: 'assignee', label: 'Assignee', width: 'minmax(100px, 1fr)', render: (c) => <span>{c.assignee ?? '—'}</span> },
  { key: 'holds', label: 'Holds', width: '64px', render: (c) => <span>{c.activeHolds > 0 ? c.activeHolds : ''}</span>, title: (c) => plural(c.activeHolds, 'active legal hold') },
  { key: 'updated', label: 'Updated', width: '120px', render: (c) => <span>{formatRelative(c.updatedAt)}</span>, title: (c) => formatDateTime(c.updatedAt) },
];

const SORTS: [CaseQuery['sort'], string][] = [
  ['updated_at', 'Updated'],
  ['created_at', 'Opened'],
  ['id', 'Case id'],
  ['title', 'Title'],
  ['status', 'Status'],
  ['assignee', 'Assignee'],
];

type Dialog = 'note' | 'link' | 'assign' | 'hold' | null;

/** The Cases area: cases (`#/cases/<id>`), or subjects and their records (`#/cases/subjects/<id>`). */
export function CasesView() {
  const sub = useAppStore((s) => s.route.split('/')[1]);
  return sub === 'subjects' ? <SubjectsView /> : <CaseList />;
}

/** Cases: a virtualized, filterable list beside the open case with its holds, links, notes and ledger timeline. */
function CaseList() {
  const { items, error, query, detail, load, search, setSearch, searchable, select } = useListPage('caseList', 'cases');
  const timeline = useAppStore((s) => s.caseTimeline);
  const loadTimeline = useAppStore((s) => s.loadCaseTimeline);
  const navigate = useAppStore((s) => s.navigate);
  const canCreate = useCan('cases.create');
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [statusTo, setStatusTo] = useState<CaseStatus | null>(null);


  const c = detail?.case;
  const filtered = Boolean(query.search || query.status || query.type);
  return (
    <ListDetailPage
      title="Cases"
      subtitle="Investigations, subpoenas, amendments, audits and breaches, each with its evidence, holds, notes and ledger history."
      tabs={<CaseworkTabs current="cases" />}
      actions={
        canCreate && (
          <HeaderButton icon="plus" primary onClick={() => setCreating(true)}>
            New case
          </HeaderButton>
        )
      }
      toolbar={
        <>
          {searchable && <SearchFilter label="Search" value={search} placeholder="Id, title, description, assignee…" onChange={setSearch} />}
          <SelectFilter
            label="Status"
            value={query.status}
            onChange={(v) => void load({ status: v as CaseStatus | '' })}
            any="Any status"
            options={CASE_STATUSES}
            optionLabel={(s) => s.replace('_', ' ')}
          />
          <SelectFilter label="Type" value={query.type} onChange={(v) => void load({ type: v as CaseType | '' })} any="Any type" options={CASE_TYPES} optionLabel={(t) => CASE_TYPE_LABELS[t] ?? t} />
          <SelectFilter
            label="Sort"
            value={`${query.sort}:${query.dir}`}
            onChange={(v) => {
              const [sort, dir] = v.split(':') as [CaseQuery['sort'], 'asc' | 'desc'];
              void load({ sort, dir });
            }}
          >
            {SORTS.flatMap(([k, l]) => {
              const dated = k === 'updated_at' || k === 'created_at';
              return [
                <option key={`${k}:desc`} value={`${k}:desc`}>
                  {l}: {dated ? 'newest' : 'Z–A'}
                </option>,
                <option key={`${k}:asc`} value={`${k}:asc`}>
                  {l}: {dated ? 'oldest' : 'A–Z'}
                </option>,
              ];
            })}
          </SelectFilter>
          <ListCountOf list="caseList" noun="case" />
        </>
      }
      error={error}
      empty={
        items &&
        items.length === 0 &&
        !filtered && (
          <EmptyState
            icon="cases"
            title="No cases yet"
            action={
              canCreate ? (
                <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
                  Open the first case
                </button>
              ) : undefined
            }
          >
            A case gathers everything about one matter: the students concerned, their records, evidence under custody, legal holds, notes and the full history from the ledger.
          </EmptyState>
        )
      }
      list={<ItemTable rows={items ?? []} columns={COLUMNS} getId={(x) => x.id} selectedId={c?.id ?? null} onOpen={select} label="Cases" testId="cases-grid" />}
      detail={
        c &&
        detail && (
          <DetailPane title={c.id} badge={<StateBadge state={c.status} tones={CASE_TONES} />} onClose={() => select(null)} testId="case-detail">
            <p className="detail__lead">{c.title}</p>
            <NextStep
              actions={[
                { channel: 'cases.addNote', label: 'Add note', primary: true, onClick: () => setDialog('note') },
                c.status !== 'closed' && { channel: 'cases.link', label: 'Link item', onClick: () => setDialog('link') },
                c.status !== 'closed' && { channel: 'holds.create', label: 'Create legal hold', onClick: () => setDialog('hold') },
                c.status !== 'closed' && { channel: 'cases.assign', label: 'Assign', onClick: () => setDialog('assign') },
                c.status === 'open' && { channel: 'cases.setStatus', label: 'Put on hold', onClick: () => setStatusTo('on_hold') },
                c.status === 'open' && { channel: 'cases.setStatus', label: 'Close case', onClick: () => setStatusTo('closed') },
                c.status === 'on_hold' && {
                  channel: 'cases.setStatus',
                  label: 'Reopen',
                  disabled: c.activeHolds > 0,
                  title: c.activeHolds > 0 ? 'The case stays on hold while its legal holds are active; release them first.' : undefined,
                  onClick: () => setStatusTo('open'),
                },
              ]}
            >
              {c.status === 'on_hold' && c.activeHolds > 0 && <p className="muted">On hold because {c.activeHolds === 1 ? 'a legal hold is' : `${c.activeHolds} legal holds are`} active; it reopens when the last is released.</p>}
            </NextStep>
            <Section title="Case">
              <Facts
                rows={[
                  ['Type', CASE_TYPE_LABELS[c.type]],
                  ['Assignee', c.assignee],
                  ['Opened', `${formatDateTime(c.createdAt)} by ${c.createdBy}`],
                  ['Updated', formatDateTime(c.updatedAt)],
                  ['Closed', c.closedAt ? formatDateTime(c.closedAt) : null],
                ]}
              />
              {c.description && <p className="ferpa-quote">{c.description}</p>}
            </Section>
            <Section title="Legal holds">
              {detail.holds.length === 0 ? (
                <p className="muted">No legal holds.</p>
              ) : (
                <ul className="ferpa-list">
                  {detail.holds.map((h) => (
                    <li key={h.id}>
                      <button type="button" className="casework-link mono" onClick={() => navigate(`holds/${h.id}`)}>
                        {h.id}
                      </button>
                      <StateBadge state={h.status} tones={HOLD_TONES} />
                      <span>{h.title}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title={`Linked items (${detail.links.length})`}>
              {detail.links.length === 0 ? (
                <p className="muted">Nothing linked yet: link the students, records and evidence this case is about.</p>
              ) : (
                <ul className="ferpa-list">
                  {detail.links.map((l) => (
                    <li key={`${l.itemType}:${l.itemId}`}>
                      <span className="muted">{l.itemType}</span>
                      {l.itemType === 'evidence' ? (
                        <button type="button" className="casework-link mono" onClick={() => navigate(`evidence/${l.itemId}`)}>
                          {l.itemId}
                        </button>
                      ) : l.itemType === 'subject' ? (
                        <button type="button" className="casework-link mono" onClick={() => navigate(`cases/subjects/${l.itemId}`)}>
                          {l.itemId}
                        </button>
                      ) : (
                        <span className="mono">{l.itemId}</span>
                      )}
                      <span>{l.label}</span>
                      {l.itemType !== 'subject' && <span className="muted">{l.status}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title={`Notes (${detail.notes.length})`}>
              {detail.notes.length === 0 ? (
                <p className="muted">No notes yet.</p>
              ) : (
                <ol className="casework-notes">
                  {[...detail.notes].reverse().map((n) => (
                    <li key={n.id}>
                      <p>{n.body}</p>
                      <span className="muted">
                        {n.author} · {formatDateTime(n.createdAt)}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </Section>
            <Section title={timeline ? `Timeline (${plural(timeline.total, 'event')})` : 'Timeline'}>
              {!timeline ? (
                <p className="muted">Loading…</p>
              ) : (
                <>
                  <EventList events={timeline.events} label="Case timeline" withResource />
                  {timeline.events.length < timeline.total && (
                    <button type="button" className="btn btn--ghost btn--sm" onClick={() => void loadTimeline(c.id, true)}>
                      Load older events
                    </button>
                  )}
                </>
              )}
            </Section>
          </DetailPane>
        )
      }
    >
      <NewCaseDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => select(id)} />
      {c && (
        <>
          <NoteDialog open={dialog === 'note'} caseId={c.id} onClose={() => setDialog(null)} />
          <LinkDialog open={dialog === 'link'} caseId={c.id} onClose={() => setDialog(null)} />
          <AssignDialog open={dialog === 'assign'} c={c} onClose={() => setDialog(null)} />
          <StatusDialog to={statusTo} c={c} onClose={() => setStatusTo(null)} />
          <CreateHoldDialog open={dialog === 'hold'} caseId={c.id} onClose={() => setDialog(null)} onCreated={(id) => navigate(`holds/${id}`)} />
        </>
      )}
    </ListDetailPage>
  );
}
