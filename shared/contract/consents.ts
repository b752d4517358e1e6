import { z } from 'zod';
import { ANY_ROLE, CASE_WORKERS } from '../roles.js';
import { channel } from './define.js';
import { listRequest, listResponse } from './list.js';
import type { ReadClassMap } from '../data-classes.js';
import { dateInput, entityId, longText, recordRefSchema, shortText } from './ferpa-common.js';

/** Who signed a written consent (34 CFR 99.30): the eligible student, or a parent while the rights are theirs. */
export const CONSENT_GIVERS = ['student', 'parent'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];

/** A consent as it stands at the time asked: live, past its expiry, or revoked. */
export const CONSENT_STATES = ['live', 'expired', 'revoked'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

const category = z.string().trim().regex(/^[a-z][a-z0-9_]{1,63}$/, 'A record category is a lower-case key such as grades.');

export const consentSchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  givenBy: z.enum(CONSENT_GIVERS),
  signerName: z.string(),
  /** The party the records may be disclosed to (99.30(b)(3)). */
  recipient: z.string(),
  /** The purpose of the disclosure (99.30(b)(2)). */
  purpose: z.string(),
  /** Whole record categories covered (99.30(b)(1)). */
  categories: z.array(z.string()),
  /** Single records covered. */
  records: z.array(recordRefSchema),
  signedAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revocationReason: z.string().nullable(),
  state: z.enum(CONSENT_STATES),
  /** Disclosures recorded under this consent. */
  disclosureCount: z.number(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type Consent = z.infer<typeof consentSchema>;

const one = z.object({ consent: consentSchema });

export const consentChannels = {
  'consents.list': channel({
    summary: 'Written consents to disclose (of one subject, or all), newest first, each with what it covers and whether it is live.',
    access: ANY_ROLE,
    mutates: false,
    request: listRequest({ sort: ['signed_at', 'id', 'recipient'], defaultSort: 'signed_at', defaultDir: 'desc', filters: { subjectId: entityId.optional() } }),
    response: listResponse(consentSchema),
  }),
  'consents.record': channel({
    summary:
      'Record a signed, dated written consent (34 CFR 99.30): who signed, which records or categories, to whom and for what purpose, until when.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({
      subjectId: entityId,
      givenBy: z.enum(CONSENT_GIVERS),
      signerName: shortText,
      recipient: shortText,
      purpose: longText,
      categories: z.array(category).max(20).default([]),
      recordIds: z.array(entityId).max(500).default([]),
      signedAt: dateInput,
      expiresAt: dateInput.optional(),
    }),
    response: one,
  }),
  'consents.revoke': channel({
    summary: 'Record that the signer revoked a consent: disclosures after that moment can no longer rely on it.',
    access: CASE_WORKERS,
    mutates: true,
    request: z.object({ id: entityId, reason: longText, revokedAt: dateInput.optional() }),
    response: one,
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const consentReadClasses: ReadClassMap<typeof consentChannels> = {
  'consents.list': {
    student_record: ['items.*.signerName', 'items.*.purpose', 'items.*.records.*.title', 'items.*.revocationReason'],
    personal: ['items.*.recipient', 'items.*.revokedBy', 'items.*.recordedBy'],
    searches: { personal: ['search'], student_record: ['search'] },
  },
};
