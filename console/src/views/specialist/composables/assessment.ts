import type { components } from '@/api/client'

export type Assess = components['schemas']['Assess']
/** The console's decisions: the API's, with "reclassify" an accept that names a new category. */
export const DECISIONS = ['accept', 'reclassify', 'answer', 'request_info', 'reject'] as const
export type Decision = (typeof DECISIONS)[number]
export type Category = NonNullable<Assess['category']>
export type Urgency = NonNullable<Assess['urgency']>
export const URGENCIES: readonly Urgency[] = ['low', 'normal', 'high', 'urgent']

export interface AssessmentForm {
  decision: Decision
  category: Category | ''
  items: string[]
  sub_items: string[]
  urgency: Urgency | ''
  answer: string
  questions: string
  reason: string
}

export type AssessmentField = Exclude<keyof AssessmentForm, 'decision'>

/** The fields a decision needs (only these are shown and sent). */
export function fieldsFor(decision: Decision): AssessmentField[] {
  switch (decision) {
    case 'accept':
      return ['items', 'sub_items', 'urgency']
    case 'reclassify':
      return ['category', 'items', 'sub_items', 'urgency']
    case 'answer':
      return ['answer']
    case 'request_info':
      return ['questions']
    case 'reject':
      return ['reason']
  }
}

/** A form for a demand, starting from its items, sub-items and urgency. */
export function newAssessment(demand?: { items?: string[]; sub_items?: string[]; urgency?: string }): AssessmentForm {
  const urgency = URGENCIES.find((u) => u === demand?.urgency) ?? ''
  return {
    decision: 'accept',
    category: '',
    items: [...(demand?.items ?? [])],
    sub_items: [...(demand?.sub_items ?? [])],
    urgency,
    answer: '',
    questions: '',
    reason: '',
  }
}

function text(value: string): string | null {
  const trimmed = value.trim()
  return trimmed ? trimmed : null
}

/**
 * What POST /demands/{id}/assessment is sent: the decision and only the fields it needs; an empty
 * text is sent as null so that the API names the missing field.
 */
export function assessmentBody(form: AssessmentForm): Assess {
  const body: Assess = { decision: form.decision === 'reclassify' ? 'accept' : form.decision }
  for (const field of fieldsFor(form.decision)) {
    switch (field) {
      case 'category':
        body.category = form.category || null
        break
      case 'items':
        if (form.items.length) body.items = [...form.items]
        break
      case 'sub_items':
        if (form.sub_items.length) body.sub_items = [...form.sub_items]
        break
      case 'urgency':
        if (form.urgency) body.urgency = form.urgency
        break
      default:
        body[field] = text(form[field])
    }
  }
  return body
}

/** The statuses in which a specialist assesses a demand. */
export function assessable(status: string): boolean {
  return status === 'submitted' || status === 'awaiting_information'
}
