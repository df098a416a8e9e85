import { reactive, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { useApiForm } from '@/composables/useApiForm'
import { usePagedList } from '@/composables/usePagedList'
import { FEEDBACK_DIMENSIONS, feedbackBody, type FeedbackScores } from '@/utils/feedback'

export type Revisit = components['schemas']['RevisitView']
type Feedback = components['schemas']['GiveFeedback']
type Demand = components['schemas']['DemandView']
export type RevisitChannel = 'revisit_phone' | 'revisit_visit'


/** A revisit task with what the specialist needs to call: the case's title and the enterprise's contact. */
export interface RevisitRow extends Revisit {
  /** The demand, or null when it could not be read (the row then names the demand by its id). */
  demand: Pick<Demand, 'title' | 'enterprise'> | null
}

export type RevisitForm = FeedbackScores & { channel: RevisitChannel; comment: string }

/** A new revisit's form: by phone, no score yet (the enterprise gives them, not a default). */
export function emptyRevisit(): RevisitForm {
  return { channel: 'revisit_phone', overall: 0, timeliness: 0, professionalism: 0, attitude: 0, outcome: 0, comment: '' }
}

/** What POST /api/v1/demands/{id}/feedback takes from the form. */
export function feedbackOf(form: RevisitForm): Feedback {
  return feedbackBody(form, form.comment, form.channel)
}

/**
 * The station's revisit tasks (completed services whose enterprise gave no feedback in time), each
 * with its case's title and contact (GET /api/v1/revisits names the demand only: a read per row,
 * at most a page's), and the form recording one: opened afresh for each case, sent as its feedback.
 */
export function useRevisits(perPage = 20) {
  const list = usePagedList<RevisitRow>(async (after) => {
    const page = await call(api.GET('/api/v1/revisits', { params: { query: { after: after ?? undefined, per_page: perPage } } }))
    const cases = await Promise.allSettled(page.items.map((item) =>
      call(api.GET('/api/v1/demands/{demand_id}', { params: { path: { demand_id: item.demand_id } } }))))
    return {
      ...page,
      items: page.items.map((item, index) => {
        const found = cases[index]
        return { ...item, demand: found?.status === 'fulfilled' ? found.value : null }
      }),
    }
  })
  const current = shallowRef<RevisitRow | null>(null)
  const form = reactive<RevisitForm>(emptyRevisit())
  const sending = useApiForm([...FEEDBACK_DIMENSIONS, 'channel', 'comment'])

  /** Opens the form for a task, empty of what was recorded for another. */
  function open(revisit: RevisitRow): void {
    Object.assign(form, emptyRevisit())
    sending.clear()
    current.value = revisit
  }

  function close(): void {
    current.value = null
  }

  /** Sends the revisit's feedback; once recorded, the task leaves the list. */
  async function send(): Promise<boolean> {
    const revisit = current.value
    if (!revisit) return false
    const done = await sending.submit(async () => {
      await call(api.POST('/api/v1/demands/{demand_id}/feedback', {
        params: { path: { demand_id: revisit.demand_id } },
        body: feedbackOf(form),
      }))
      return true
    })
    if (!done) return false
    close()
    await list.refresh()
    return true
  }

  return {
    list,
    current,
    form,
    open,
    close,
    send,
    submitting: sending.submitting,
    fieldError: sending.fieldError,
    formError: sending.formError,
  }
}
