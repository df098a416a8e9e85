import { computed, reactive } from 'vue'
import { api, call, type components } from '@/api/client'
import { useSession } from '@/composables/useSession'
import { useApiForm } from '@/composables/useApiForm'
import { detailsBody, messagesUnder, useServiceCatalogue, type DetailValues, type SubItem } from '@/composables/useServiceCatalogue'

export type SubmitDemand = components['schemas']['SubmitDemand']
export type Demand = components['schemas']['DemandView']

/** The fields whose errors the submit form shows beside them (the API's names). */
export const DEMAND_FIELDS = [
  'enterprise.name', 'enterprise.credit_code', 'enterprise.contact', 'enterprise.phone', 'park', 'category', 'title',
  'description', 'items', 'expected_by', 'consultation', 'attachments', 'sub_item', 'details',
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
    channel: 'online',
    attachments: [...attachments],
  }
}

/**
 * The submit form: prefilled with what the console knows of the enterprise (its name from its
 * organisation, its credit code from the token's act, the person as contact, the park of its
 * last demand), sent to POST /api/v1/demands.
 */
export function useDemandForm() {
  const session = useSession()
  const form = useApiForm(DEMAND_FIELDS)
  const model = reactive<DemandModel>({
    name: '', creditCode: '', contact: '', phone: '', park: '', category: '', title: '', description: '',
    items: [], expectedBy: null, consultation: false, subItem: null, details: {},
  })
  const catalogue = useServiceCatalogue()

  async function prefill(): Promise<void> {
    model.creditCode ||= session.acts.value.enterprise ?? ''
    const [me, last] = await Promise.allSettled([
      call(api.GET('/api/v1/me')),
      call(api.GET('/api/v1/demands', { params: { query: { per_page: 1 } } })),
    ])
    if (me.status === 'fulfilled') {
      model.contact ||= me.value.name
      model.phone ||= me.value.mobile ?? ''
      try {
        const organisation = await call(
          api.GET('/api/v1/organisations/{organisation_id}', { params: { path: { organisation_id: me.value.organisation_id } } }),
        )
        model.name ||= organisation.name
        if (organisation.kind === 'enterprise') model.creditCode ||= organisation.party
      } catch {
        // the person types the name
      }
    }
    if (last.status === 'fulfilled') {
      const previous = last.value.items[0]
      if (previous) {
        model.park ||= previous.park
        model.phone ||= previous.enterprise.phone
        model.name ||= previous.enterprise.name
      }
    }
  }

  function submit(attachments: readonly string[]): Promise<Demand | undefined> {
    return form.submit(() => call(api.POST('/api/v1/demands', { body: demandBody(model, attachments, catalogue.subItem(model.subItem)) })))
  }

  // A sub-item's field's message is under that field (`details.<name>`), not above the form.
  const formError = computed(() => {
    const error = form.error.value
    return error && !DEMAND_FIELDS.some((field) => messagesUnder(error.details, field)) ? error : null
  })

  return { ...form, formError, model, prefill, submit }
}
