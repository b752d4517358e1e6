import { z } from 'zod';
import { ANY_ROLE } from '../roles.js';
import { channel } from './define.js';
import type { ReadClassMap } from '../data-classes.js';

/**
 * What a subpoena needs before records are produced. Seed 002 (the shipped default): a court order.
 * 34 CFR 99.31(a)(9)(i) also allows a lawfully issued subpoena, if the institution chooses that.
 */
export const PRODUCTION_REQUIREMENTS = ['court_order', 'court_order_or_lawful_subpoena'] as const;
export type ProductionRequirement = (typeof PRODUCTION_REQUIREMENTS)[number];

export const PRODUCTION_REQUIREMENT_LABELS: Record<ProductionRequirement, string> = {
  court_order: 'A court order (subpoenas without one are refused)',
  court_order_or_lawful_subpoena: 'A court order or a lawfully issued subpoena',
};

/**
 * Whether a disclosure may name "Other legal basis" (an exception of 34 CFR 99.31 outside the list
 * the form offers). Seed 002 (the shipped default): no disclosure without written consent except to
 * school officials, as directory information, under a subpoena or in a safety emergency, so it is
 * refused; an institution that relies on another exception of 99.31 may allow it.
 */
export const OTHER_BASIS_RULES = ['refuse', 'allow'] as const;
export type OtherBasisRule = (typeof OTHER_BASIS_RULES)[number];

export const OTHER_BASIS_RULE_LABELS: Record<OtherBasisRule, string> = {
  refuse: 'Refuse it (only the exceptions the form lists)',
  allow: 'Allow it, with the exception stated in words',
};

export const ferpaPolicySchema = z.object({
  productionRequires: z.enum(PRODUCTION_REQUIREMENTS),
  /** True while the setting is the shipped default (never changed in this workspace). */
  productionRequiresIsDefault: z.boolean(),
  changedAt: z.string().nullable(),
  changedBy: z.string().nullable(),
  /** The record categories directory information may carry (34 CFR 99.3, 99.37). */
  directoryCategories: z.array(z.string()),
  /** Disclosures on "Other legal basis": refused unless an administrator allowed them. */
  otherBasis: z.object({ rule: z.enum(OTHER_BASIS_RULES), isDefault: z.boolean(), changedAt: z.string().nullable(), changedBy: z.string().nullable() }),
});
export type FerpaPolicy = z.infer<typeof ferpaPolicySchema>;

export const ferpaPolicyChannels = {
  'ferpa.policy': channel({
    summary: "The institution's FERPA settings: what a subpoena needs before production, and what directory information may carry.",
    access: ANY_ROLE,
    mutates: false,
    request: z.object({}),
    response: z.object({ policy: ferpaPolicySchema }),
  }),
  'ferpa.setPolicy': channel({
    summary: 'Change what a subpoena needs before production, or whether a disclosure may name another legal basis (administrators only; one ledger event per setting changed).',
    access: ['admin'],
    mutates: true,
    request: z
      .object({ productionRequires: z.enum(PRODUCTION_REQUIREMENTS).optional(), otherBasis: z.enum(OTHER_BASIS_RULES).optional(), reason: z.string().trim().min(1).max(2000) })
      .refine((r) => r.productionRequires !== undefined || r.otherBasis !== undefined, { message: 'Choose the rule to change.', path: ['productionRequires'] }),
    response: z.object({ policy: ferpaPolicySchema }),
  }),
};

/** What the read channels of this file answer, by data class (shared/data-classes.ts): fields not named are operational. */
export const ferpaPolicyReadClasses: ReadClassMap<typeof ferpaPolicyChannels> = {
  'ferpa.policy': { personal: ['policy.changedBy', 'policy.otherBasis.changedBy'] },
};
