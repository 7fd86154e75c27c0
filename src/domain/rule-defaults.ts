// Numbers from rules that DOMAIN.md does not mark as high confidence (or that are design choices).
// Each is only a default: callers take it as a parameter so deployments can override it from
// configuration after legal review. Section numbers refer to /work/shared/DOMAIN.md.

/** Judicial all-in line for licensed lenders, 24% p.a. (§2.2, 法发〔2017〕22号; confidence medium-high). */
export const JUDICIAL_ALL_IN_LINE_BP = 2400;

/** People's-mediation time-out before escalation (design default per DESIGN.md; no statutory period, unverified). */
export const PEOPLES_MEDIATION_TIMEOUT_DAYS = 30;

/** Court pre-litigation mediation period (§4.3, Guangxi court guide / SPC 2020 opinion; confidence medium-high). */
export const COURT_PRE_LITIGATION_MEDIATION_DAYS = 30;

/** Joint application for judicial confirmation, days after the agreement takes effect (§4.1 art. 33, §4.2; high). */
export const JUDICIAL_CONFIRMATION_APPLICATION_DAYS = 30;

/** Reply to a debtor objection (design default modelled on the 15-day review in §5.1 art. 12; unverified as a rule). */
export const OBJECTION_REPLY_DAYS = 15;

/** Credit-report objection handling (§5.3, 征信业管理条例 art. 25, from memory; confidence medium). */
export const CREDIT_REPORT_OBJECTION_DAYS = 20;

/** Service by public notice is deemed complete this many days after publication (§4.5, CPL art. 95; medium-high). */
export const PUBLIC_NOTICE_SERVICE_DAYS = 30;

/** Court deletes a dishonest-list entry within this many working days (§5.1 art. 10; high). */
export const COURT_LIST_DELETION_WORKING_DAYS = 3;
/** Years to apply for enforcement after the performance period (CPL art. 250; DOMAIN.md §3). */
export const ENFORCEMENT_APPLICATION_YEARS = 2;
/** Days a judgment gives the debtor to perform when the clerk names no other period (design default: judgments commonly say 十日内). */
export const JUDGMENT_PERFORMANCE_DAYS = 10;
/** A dishonest-debtor listing lasts 2 years unless the court sets up to 3 more, or no term (DOMAIN.md §5.1 art. 2). */
export const LISTING_TERM_YEARS = 2;

/** Days after an instalment's due date before non-payment is a breach (design default; no statute; per policy). */
export const INSTALMENT_GRACE_DAYS = 7;

/** Days before an instalment falls due that the debtor is reminded (design default; no rule). */
export const INSTALMENT_REMINDER_DAYS = 3;
