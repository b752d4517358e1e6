import type { coreChannels } from '../../../shared/contract/core.js';
import { createUser, listUsers, pageOfUsers, updateUser } from '../auth/users.js';
import { rekeyWorkspace } from '../db/rekey.js';
import type { Handlers } from '../dispatch.js';
import { CustosError } from '../errors.js';
import { rowToEvent } from '../ledger/ledger.js';
import { inclusionProof, verifyInclusion } from '../ledger/merkle.js';
import { caseScope } from '../cases/case-scope.js';
import { setWorkspaceTimeZone, workspaceTimeZone } from '../time-zone.js';
import { activityStats, eventRowBySeq, facets, lastVerification, queryEvents } from '../ledger/query.js';
import { buildReport, verifyWorkspaceDb } from '../ledger/verify.js';
import { indexedThrough } from '../ledger/text-index.js';
import { givenWitnessedHeads, witnessedHeads } from '../witness/witness.js';
import { securityPolicy } from '../policy.js';
import { describePruned, prunePointOf } from '../ledger/prune-point.js';

type CoreHandlers = Pick<Handlers, keyof typeof coreChannels>;

export const coreHandlers: CoreHandlers = {
  'workspace.status': (_req, { app }) => app.status(),
  'workspace.init': (req, { app }) =>
    app.init({ workspaceName: req.workspaceName, username: req.username, displayName: req.displayName, passphrase: req.passphrase }),
  'workspace.dbKey': (_req, { ws, user }) => {
    ws.record({ actor: user.username, action: 'workspace.dbKey', resource_type: 'workspace', resource_id: ws.id, details: { purpose: 'sqlcipher-interop' } });
    return { key: ws.key().toString('hex') };
  },
  'workspace.rekey': (_req, { ws, user, progress }) =>
    rekeyWorkspace(ws, { actor: user.username, reason: 'requested', onProgress: (done, total) => progress('rekey', done, total) }),
  'session.login': (req, { app, host }) => app.login(req.username, req.passphrase, req.otp, host),
  'session.recover': (req, { app }) => app.recover(req.recoveryKey, req.username, req.newPassphrase),
  'session.me': (_req, { user, ws }) => {
    const zone = workspaceTimeZone(ws);
    return { user, idleLockMinutes: securityPolicy().idleLockMinutes, timeZone: zone.timeZone, timeZoneFromMachine: zone.fromMachine };
  },
  'workspace.setTimeZone': (req, { ws, op }) => {
    const zone = setWorkspaceTimeZone(ws, op, req.timeZone);
    return { timeZone: zone.timeZone, timeZoneFromMachine: zone.fromMachine };
  },
  'session.logout': (_req, { app, session }) => {
    app.logout(session);
    return {};
  },
  'session.lock': (_req, { app, user, session }) => {
    if (app.lockFor(session, user.role) === 'logout') return {};
    // The lock runs after the answer is sent, so the caller gets its Result before the database closes.
    setImmediate(() => {
      try {
        app.lock('manual', user.username);
      } catch {
        // The workspace is closed even when the lock event could not be written; nobody is left to tell.
      }
    });
    return {};
  },
  'users.list': (req, { ws }) => pageOfUsers(ws, req),
  'users.choices': (_req, { ws }) => ({
    items: listUsers(ws)
      .filter((u) => !u.disabled)
      .map((u) => ({ username: u.username, displayName: u.displayName, role: u.role })),
  }),
  'users.create': (req, { ws, op }) => ({ user: createUser(ws, op, req) }),
  'users.update': (req, { ws, progress, op }) => updateUser(ws, op, req, (done, total) => progress('rekey', done, total)),
  'users.changePassphrase': (req, { app, user }) => {
    app.changePassphrase(user.username, req.currentPassphrase, req.newPassphrase);
    return {};
  },
  'ledger.head': (_req, { ws }) => {
    const { size } = ws.ledger.head();
    return {
      size,
      root: ws.ledger.root(),
      checkpoint: ws.latestCheckpoint(),
      publicKeyPem: ws.signingKey.publicKeyPem,
      keyId: ws.signingKey.keyId,
      lastVerification: lastVerification(ws.db),
      prunedThrough: prunePointOf(ws.db)?.throughSeq ?? 0,
      textIndex: { indexedThrough: Math.min(indexedThrough(ws.db), size), size },
    };
  },
  'ledger.query': (req, { ws, app }) => queryEvents(ws.db, req, ws.ledger.head().size, req.caseId ? caseScope(ws, req.caseId, app.wiring.caseResources) : undefined),
  'ledger.event': (req, { ws }) => {
    const row = eventRowBySeq(ws.db, req.seq);
    if (!row) throw new CustosError('not_found', `There is no ledger event ${req.seq}.`);
    const pruned = prunePointOf(ws.db);
    if (pruned && req.seq <= pruned.throughSeq) {
      throw new CustosError('not_found', `Ledger event ${req.seq} was pruned: ${describePruned(pruned)}; only its hashes are kept.`);
    }
    const event = rowToEvent(row);
    const checkpoint = ws.latestCheckpoint();
    let proof = null;
    if (checkpoint && req.seq <= checkpoint.size) {
      const path = inclusionProof(ws.ledger.source, req.seq - 1, checkpoint.size);
      proof = {
        treeSize: checkpoint.size,
        root: checkpoint.root,
        path: path.map((p) => p.toString('hex')),
        verified: verifyInclusion(row.leaf_hash, req.seq - 1, checkpoint.size, path, Buffer.from(checkpoint.root, 'hex')),
      };
    }
    return { event, leafHash: row.leaf_hash.toString('hex'), proof };
  },
  'ledger.facets': (_req, { ws }) => facets(ws.db),
  'ledger.stats': (req, { ws }) => activityStats(ws.db, req.days),
  'ledger.verify': async (req, { ws, user, signal, progress }) => {
    // Cosigned heads whose cosignature does not verify are problems themselves; the rest the ledger must extend.
    const stored = witnessedHeads(ws);
    const given = givenWitnessedHeads(ws, req.cosignatures ?? []);
    const witnessed = {
      heads: [...stored.heads, ...given.heads.filter((g) => !stored.heads.some((h) => h.cosigner === g.cosigner && h.size === g.size && h.root === g.root && h.cosignedAt === g.cosignedAt))],
      problems: [...stored.problems, ...given.problems],
    };
    const checked = await ws.whileReadingLedger(() =>
      verifyWorkspaceDb(ws.db, ws.dir, { id: ws.id, publicKey: ws.signingKey.publicKey }, {
        signal,
        onProgress: (done, total) => progress('verify', done, total),
        witnessed: witnessed.heads,
      }),
    );
    const report =
      witnessed.problems.length === 0
        ? checked
        : {
            ...buildReport([...witnessed.problems, ...checked.problems].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)), checked.events_checked, checked.checkpoints_checked, checked.root, 0, checked.pruned),
            witnessed: checked.witnessed,
          };
    ws.record({
      actor: user.username,
      action: 'ledger.verify',
      resource_type: 'ledger',
      resource_id: ws.id,
      outcome: report.valid ? 'success' : 'failure',
      details: { valid: report.valid, size: report.events_checked, problems: report.problems.length, root: report.root },
    });
    return report;
  },
  'ledger.checkpoint': (_req, { ws, user }) =>
    ws.tx(() => {
      ws.ledger.append({ actor: user.username, action: 'ledger.checkpoint', resource_type: 'ledger', resource_id: ws.id, details: { reason: 'request' } });
      return ws.signCheckpoint('request');
    }),
  'jobs.cancel': (req, { app, session }) => ({ cancelled: app.cancelJob(req.jobId, session.id) }),
};
