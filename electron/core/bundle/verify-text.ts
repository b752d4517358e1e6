import { checkpointSignedBytes } from '../ledger/checkpoint.js';
import { checkpointNoteText, checkpointOrigin } from '../ledger/checkpoint-note.js';
import { ENTRY, fingerprint, PROOFS_FORMAT } from './format.js';

export interface VerifyTextInput {
  workspaceId: string;
  workspaceName: string;
  createdAt: string;
  createdBy: string;
  complete: boolean;
  events: number;
  treeSize: number;
  root: string;
  checkpointTs: string;
  keyId: string;
  signature: string;
  /** The note verifier key string of checkpoint.vkey. */
  verifierKey: string;
  hasConsistency: boolean;
  /** Set when the workspace's audit log was pruned (manifest "pruned"): events 1..throughSeq are hashes only. */
  pruned?: { throughSeq: number; prunedAt: string; policy: string };
}

/** VERIFY.txt: how anyone checks the bundle with unzip, openssl and sha256sum alone (DESIGN §5). */
export function verifyText(v: VerifyTextInput): Buffer {
  const signedHead = checkpointSignedBytes({ workspace_id: v.workspaceId, size: v.treeSize, root: v.root, ts: v.checkpointTs }).toString('utf8');
  const scope = v.complete
    ? `all ${v.events} events of the ledger up to its signed tree head of ${v.treeSize} events`
    : `${v.events} selected events, each proven to belong to the signed tree head of ${v.treeSize} events`;
  const origin = checkpointOrigin(v.workspaceId);
  const noteKeyIdHex = v.verifierKey.split('+')[1] ?? '';
  const text = `HOW TO VERIFY THIS CUSTOS BUNDLE WITHOUT CUSTOS
===============================================

Made by the Custos workspace "${v.workspaceName}" (${v.workspaceId})
on ${v.createdAt} by ${v.createdBy}. It holds ${scope}.

Signing key fingerprint (hex SHA-256 of the Ed25519 public key, SPKI DER):
  ${fingerprint(v.keyId)}
Compare it with the fingerprint the sender gave you by another channel (phone, letter).
A bundle proves only that whoever holds this key made it.

Tools: unzip, OpenSSL 3.0 or later, sha256sum (GNU coreutils). Every step must succeed.

1. Unpack into an empty folder
     mkdir bundle && cd bundle && unzip ../BUNDLE.zip

2. The manifest is signed by the key in ${ENTRY.publicKey}
     openssl pkeyutl -verify -pubin -inkey ${ENTRY.publicKey} -rawin -in ${ENTRY.manifest} -sigfile ${ENTRY.signature}
   must print "Signature Verified Successfully". ${ENTRY.signature} is the raw 64-byte Ed25519
   signature over the exact bytes of ${ENTRY.manifest}. It must be UTF-8 JSON in which no object
   repeats a key, no string holds a lone surrogate (not even as a \\ud800-style escape) and
   nothing nests deeper than 64 levels; otherwise readers could disagree on what was signed.

3. The key is the one the manifest names
     openssl pkey -pubin -in ${ENTRY.publicKey} -outform DER | sha256sum
   must print ${v.keyId}
   (checkpoint.key_id in ${ENTRY.manifest}).

4. Every file matches the manifest
   Make a check file with one line "<sha256>  <path>" per entry of "files" in ${ENTRY.manifest}, e.g.
     python3 -c 'import json;[print(f["sha256"]+"  "+f["path"]) for f in json.load(open("${ENTRY.manifest}"))["files"]]' > SHA256SUMS
   then
     sha256sum --strict -c SHA256SUMS
   must print OK for every file. The bundle must hold no file that "files" does not list,
   apart from ${ENTRY.manifest} and ${ENTRY.signature}; "bytes" gives each file's size.

5. The tree head is signed by the same key
   tree_head and checkpoint in ${ENTRY.manifest} form a checkpoint: checkpoint.signature is the
   base64 Ed25519 signature over the RFC 8785 (JCS) bytes of {workspace_id, size, root, ts}.
   For this bundle those bytes are exactly (no newline at the end):
     ${signedHead}
   Check it:
     printf '%s' '${signedHead}' > head.json
     printf '%s' '${v.signature}' | openssl base64 -d -A > head.sig
     openssl pkeyutl -verify -pubin -inkey ${ENTRY.publicKey} -rawin -in head.json -sigfile head.sig

6. The same tree head as a standard checkpoint (${ENTRY.checkpointNote}, ${ENTRY.verifierKey})
   ${ENTRY.checkpointNote} is a C2SP tlog-checkpoint signed note (c2sp.org/tlog-checkpoint,
   c2sp.org/signed-note) that transparency-log tools and witnesses read. Its note text is three
   lines, each ending in a newline: the origin, the tree size, and tree_head.root in standard
   base64. For this bundle:
     ${checkpointNoteText(origin, v.treeSize, v.root).trimEnd().split('\n').join('\n     ')}
   Then a blank line and one signature line "— ${origin} <base64>", where the base64 holds the
   4-byte key ID followed by the Ed25519 signature, by the key in ${ENTRY.publicKey}, over the note text:
     head -n 3 ${ENTRY.checkpointNote} > note.txt
     tail -n 1 ${ENTRY.checkpointNote} | cut -d ' ' -f 3 | openssl base64 -d -A | tail -c 64 > note.sig
     openssl pkeyutl -verify -pubin -inkey ${ENTRY.publicKey} -rawin -in note.txt -sigfile note.sig
   The key ID is the first 4 bytes of SHA-256(origin || 0x0A || 0x01 || 32-byte public key):
     { printf '${origin}\\n\\001'; openssl pkey -pubin -in ${ENTRY.publicKey} -outform DER | tail -c 32; } | sha256sum | cut -c 1-8
   must print ${noteKeyIdHex}. ${ENTRY.verifierKey} holds the key as a note verifier key string
   (origin+key ID+base64(0x01 || public key)), the form a witness or a Go sumdb/note verifier takes:
     ${v.verifierKey}

7. The events (${ENTRY.events}) follow the ledger rules
   - One event per line: RFC 8785 (JCS) JSON with the fields seq, ts, actor, action,
     resource_type, resource_id, outcome, details, prev_hash and hash; UTF-8; "\\n" after each.
     No string holds a lone surrogate (RFC 8785 section 3.2.2.2 refuses them); details nest at
     most 64 levels deep.
   - C(e) is the JCS serialization of the event WITHOUT "hash" (so with prev_hash).
     hash = lower-case hex SHA-256 of C(e).
   - seq rises strictly from line to line. prev_hash of seq 1 is 64 zeros; when seq s-1 is also
     in the file, prev_hash of seq s equals the hash of seq s-1.
   - Merkle tree (RFC 6962 section 2.1, RFC 9162): leaf hash = SHA-256(0x00 || C(e)),
     node hash = SHA-256(0x01 || left || right), over the events seq 1..size of the ledger.
${
  v.pruned
    ? `   - Events 1..${v.pruned.throughSeq} were pruned on ${v.pruned.prunedAt} under the audit-log policy
     ${v.pruned.policy}: only their hashes were kept, so no line holds them. "pruned" in ${ENTRY.manifest}
     gives the checkpoint the workspace signed at size ${v.pruned.throughSeq} (check its signature as
     in step 5 with size ${v.pruned.throughSeq} and pruned.checkpoint's root and ts), last_hash (the
     prev_hash of event ${v.pruned.throughSeq + 1}) and, for a complete bundle, "frontier": the
     complete subtree hashes of the first ${v.pruned.throughSeq} leaves, largest first. Folding them
     from the smallest up (node hash of left, right) gives pruned.checkpoint.root; the events of
     this bundle's lines then continue that tree.
`
    : ''
}${
  v.complete
    ? `   - This bundle is complete (seq ${v.pruned ? `${v.pruned.throughSeq + 1}` : '1'}..${v.treeSize}): recompute the root from every line in order${v.pruned ? ', starting from the frontier' : ''};
     it must equal tree_head.root = ${v.root}.`
    : `   - This bundle holds a selection, so ${ENTRY.proofs} carries for each event, in the same order,
     its RFC 9162 section 2.1.3 inclusion proof: leaf index = seq - 1, tree size = tree_head.size,
     "path" = the audit path (hex). Recompute the root from the leaf and its path (RFC 9162
     section 2.1.3.2); it must equal tree_head.root = ${v.root}.
     ${ENTRY.proofs} is one JSON document ("format": "${PROOFS_FORMAT}") written one proof per line.`
}
${
  v.hasConsistency
    ? `
8. This bundle extends the earlier ones (${ENTRY.consistency})
   For each earlier signed tree head of this workspace ({from_size, from_root, from_ts,
   from_signature}) it carries the RFC 9162 section 2.1.4 consistency proof ("path") to this tree
   head. If you hold an earlier bundle of this workspace, its tree head must appear here and its
   proof must verify (RFC 9162 section 2.1.4.2): the new bundle then extends, and does not rewrite,
   the history you already have. from_signature signs {workspace_id, size: from_size,
   root: from_root, ts: from_ts} as in step 5.
`
    : ''
}
\`custos verify BUNDLE.zip\` performs all of these checks and prints a report.
`;
  return Buffer.from(text, 'utf8');
}
