// Procedural deadlines. All day-counted periods go through periodEnd (CPL art. 85: start day not
// counted, an end on a weekend or holiday moves to the next working day). Day counts default to the
// named values in rule-defaults.ts and can be overridden from configuration.
import { addYears } from './dates.js';
import { addWorkingDays, type HolidayCalendar, periodEnd, workingDayOnOrAfter } from './holiday-calendar.js';
import {
  COURT_LIST_DELETION_WORKING_DAYS,
  COURT_PRE_LITIGATION_MEDIATION_DAYS,
  CREDIT_REPORT_OBJECTION_DAYS,
  ENFORCEMENT_APPLICATION_YEARS,
  JUDICIAL_CONFIRMATION_APPLICATION_DAYS,
  OBJECTION_REPLY_DAYS,
  PEOPLES_MEDIATION_TIMEOUT_DAYS,
  PUBLIC_NOTICE_SERVICE_DAYS,
} from './rule-defaults.js';

export {
  COURT_LIST_DELETION_WORKING_DAYS,
  COURT_PRE_LITIGATION_MEDIATION_DAYS,
  CREDIT_REPORT_OBJECTION_DAYS,
  JUDICIAL_CONFIRMATION_APPLICATION_DAYS,
  OBJECTION_REPLY_DAYS,
  PEOPLES_MEDIATION_TIMEOUT_DAYS,
  PUBLIC_NOTICE_SERVICE_DAYS,
};

/** Last day of a mediation that started on startDate (people's or court pre-litigation mediation). */
export function mediationDeadline(
  cal: HolidayCalendar,
  startDate: string,
  days: number = PEOPLES_MEDIATION_TIMEOUT_DAYS,
): string {
  return periodEnd(cal, startDate, days);
}

/** Day on which service by public notice is deemed complete (CPL art. 95). */
export function publicNoticeServiceDate(
  cal: HolidayCalendar,
  publishedOn: string,
  days: number = PUBLIC_NOTICE_SERVICE_DAYS,
): string {
  return periodEnd(cal, publishedOn, days);
}

/** Last day to reply to an objection filed on filedOn. */
export function objectionReplyDeadline(
  cal: HolidayCalendar,
  filedOn: string,
  days: number = OBJECTION_REPLY_DAYS,
): string {
  return periodEnd(cal, filedOn, days);
}

/** Last day to apply jointly for judicial confirmation after the agreement takes effect (People's Mediation Law art. 33). */
export function judicialConfirmationDeadline(
  cal: HolidayCalendar,
  effectiveOn: string,
  days: number = JUDICIAL_CONFIRMATION_APPLICATION_DAYS,
): string {
  return periodEnd(cal, effectiveOn, days);
}

/** Last day for a credit-report objection to be handled (征信业管理条例 art. 25). */
export function creditObjectionDeadline(
  cal: HolidayCalendar,
  filedOn: string,
  days: number = CREDIT_REPORT_OBJECTION_DAYS,
): string {
  return periodEnd(cal, filedOn, days);
}

/** Day by which the court should have deleted a dishonest-list entry, counted in working days (§5.1 art. 10). */
export function courtListDeletionDeadline(
  cal: HolidayCalendar,
  triggeredOn: string,
  workingDays: number = COURT_LIST_DELETION_WORKING_DAYS,
): string {
  return addWorkingDays(cal, triggeredOn, workingDays);
}

/** Last day of the performance period a judgment fixes: `days` after it takes effect (CPL art. 85). */
export function performanceDeadline(cal: HolidayCalendar, effectiveOn: string, days: number): string {
  return periodEnd(cal, effectiveOn, days);
}

/**
 * Last day to apply for enforcement (DOMAIN.md §3, CPL art. 250): 2 years from the last day of the
 * performance period; a last day that is not a working day moves to the next one (art. 85).
 */
export function enforcementApplicationDeadline(cal: HolidayCalendar, performanceDueOn: string): string {
  return workingDayOnOrAfter(cal, addYears(performanceDueOn, ENFORCEMENT_APPLICATION_YEARS));
}
