import { api, call } from '@/api/client'
import { useSession } from '@/composables/useSession'

/** The enterprise's details a form asks (its credit code where the form shows it). */
export interface EnterpriseDetails {
  name: string
  contact: string
  phone: string
  park: string
  creditCode?: string
}

/**
 * What the console knows of the signed-in enterprise, put in the empty fields of a form it
 * fills (a demand, its instrument register): its name from its organisation, its credit code
 * from the token's act, the person as contact, the park and phone of its last demand.
 */
export function useEnterprisePrefill(model: EnterpriseDetails) {
  const session = useSession()

  return async function prefill(): Promise<void> {
    if (model.creditCode !== undefined) model.creditCode ||= session.acts.value.enterprise ?? ''
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
        if (organisation.kind === 'enterprise' && model.creditCode !== undefined) model.creditCode ||= organisation.party
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
}
