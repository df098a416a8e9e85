import type { components } from '@/api/client'

export type Quote = components['schemas']['QuoteView']
export type Sample = components['schemas']['SampleView']
export type Deliverable = components['schemas']['Deliverable']

/** Categories whose completion names a report, a certificate, or deliverables (matching's rules). */
export const REPORT_CATEGORIES = ['inspection_testing']
export const CERTIFICATE_CATEGORIES = ['certification_accreditation']
export const DELIVERABLE_CATEGORIES = ['quality_management', 'brand_cultivation', 'quality_innovation']
export const DELIVERABLE_KINDS = ['diagnosis_report', 'programme', 'milestone_plan', 'training_record', 'assessment_report', 'other'] as const

/** What a completion of `category` asks for. */
export function completionKind(category: string): 'report' | 'certificate' | 'deliverables' | 'any' {
  if (REPORT_CATEGORIES.includes(category)) return 'report'
  if (CERTIFICATE_CATEGORIES.includes(category)) return 'certificate'
  if (DELIVERABLE_CATEGORIES.includes(category)) return 'deliverables'
  return 'any'
}

/** An amount in yuan as the API takes it: digits, at most two decimals. */
export const YUAN = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/

/**
 * The sum of the lines' amounts in yuan, exactly (in fen, so 0.1 + 0.2 is 0.30), or null while
 * a line is not an amount yet.
 */
export function totalOf(amounts: string[]): string | null {
  let fen = 0
  for (const amount of amounts) {
    const text = amount.trim()
    if (!YUAN.test(text)) return null
    const [whole, part = ''] = text.split('.')
    fen += Number(whole) * 100 + Number(part.padEnd(2, '0'))
  }
  const yuan = Math.floor(fen / 100)
  const rest = fen % 100
  return rest ? `${yuan}.${String(rest).padStart(2, '0')}` : String(yuan)
}

/** Whether a quote waits for the enterprise's answer (given, unanswered, not lapsed on `today`). */
export function quoteAwaitsAnswer(quote: Quote | null | undefined, today: string): boolean {
  return !!quote && quote.answer === null && quote.valid_until >= today
}
