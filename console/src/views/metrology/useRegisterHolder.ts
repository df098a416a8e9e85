import { reactive } from 'vue'
import { api, call } from '@/api/client'
import { useSession } from '@/composables/useSession'

/**
 * What opening the enterprise's register asks: prefilled with what the console knows (its name
 * from its organisation, its credit code from the token's act, the person as contact, the park
 * of its last demand), as the demand form does.
 */
export function useRegisterHolder() {
  const session = useSession()
  const model = reactive({ name: '', contact: '', phone: '', park: '' })

  async function prefill(): Promise<void> {
    const [me, last] = await Promise.allSettled([
      call(api.GET('/api/v1/me')),
      call(api.GET('/api/v1/demands', { params: { query: { per_page: 1 } } })),
    ])
    if (me.status === 'fulfilled') {
      model.contact ||= me.value.name
      model.phone ||= me.value.mobile ?? ''
      const organisation = await call(
        api.GET('/api/v1/organisations/{organisation_id}', { params: { path: { organisation_id: me.value.organisation_id } } }),
      ).catch(() => null)
      model.name ||= organisation?.name ?? ''
    }
    const previous = last.status === 'fulfilled' ? last.value.items[0] : undefined
    if (previous) {
      model.park ||= previous.park
      model.phone ||= previous.enterprise.phone
    }
  }

  const body = () => ({
    enterprise: {
      name: model.name.trim(), credit_code: session.acts.value.enterprise ?? '',
      contact: model.contact.trim(), phone: model.phone.trim(),
    },
    park: model.park.trim(),
  })

  return { model, prefill, body }
}
