import { computed, reactive } from 'vue'
import { api, call, type components } from '@/api/client'
import { useApiForm } from '@/composables/useApiForm'
import { detailsBody, messagesUnder, useServiceCatalogue, type DetailValues, type SubItem } from '@/composables/useServiceCatalogue'

export type SubmitDemand = components['schemas']['SubmitDemand']
export type Demand = components['schemas']['DemandView']
/** How the demand reached the station: an enterprise online, a specialist the others. */
export type Channel = NonNullable<SubmitDemand['channel']>
/** What a specialist enters for an enterprise (online is the enterprise's own). */
export const WINDOW_CHANNELS: readonly Channel[] = ['counter', 'phone', 'visit']

/** The fields whose errors the submit form shows beside them (the API's names). */
export const DEMAND_FIELDS = [
  'enterprise.name', 'enterprise.credit_code', 'enterprise.contact', 'enterprise.phone', 'park', 'category', 'title',
  'description', 'items', 'expected_by', 'consultation', 'attachments', 'sub_item', 'details', 'channel',
] as const

export interface DemandModel {
  name: string
  creditCode: string
  contact: string
  phone: string
  park: string
  category: SubmitDemand['category'] | ''
  title: string
  description: string
  items: string[]
  expectedBy: string | null
  consultation: boolean
  /** a sub-item of the category in the current service catalogue, and the fields it asks */
  subItem: string | null
  details: DetailValues
  channel: Channel
}

/** The request the form's model makes (no checks here: the API's field errors are shown). */
export function demandBody(model: DemandModel, attachments: readonly string[], subItem?: SubItem): SubmitDemand {
  return {
    ...(model.subItem ? { sub_item: model.subItem, details: detailsBody(subItem, model.details) } : {}),
    enterprise: { name: model.name.trim(), credit_code: model.creditCode.trim(), contact: model.contact.trim(), phone: model.phone.trim() },
    park: model.park.trim(),
    category: model.category as SubmitDemand['category'],
    title: model.title.trim(),
    description: model.description.trim(),
    items: model.items.map((item) => item.trim()).filter(Boolean),
    expected_by: model.expectedBy || null,
    consultation: model.consultation,
    channel: model.channel,
    attachments: [...attachments],
  }
}

/**
 * A demand's form, sent to POST /api/v1/demands: an enterprise's own online (its page prefills
 * what the console knows of it), or a specialist's entry of what an enterprise brought to the
 * window, by phone or on a visit (`channel`).
 */
export function useDemandForm(channel: Channel = 'online') {
  const form = useApiForm(DEMAND_FIELDS)
  const model = reactive<DemandModel>({
    name: '', creditCode: '', contact: '', phone: '', park: '', category: '', title: '', description: '',
    items: [], expectedBy: null, consultation: false, subItem: null, details: {}, channel,
  })
  const catalogue = useServiceCatalogue()

  function submit(attachments: readonly string[]): Promise<Demand | undefined> {
    return form.submit(() => call(api.POST('/api/v1/demands', { body: demandBody(model, attachments, catalogue.subItem(model.subItem)) })))
  }

  // A sub-item's field's message is under that field (`details.<name>`), not above the form.
  const formError = computed(() => {
    const error = form.error.value
    return error && !DEMAND_FIELDS.some((field) => messagesUnder(error.details, field)) ? error : null
  })

  return { ...form, formError, model, submit }
}
