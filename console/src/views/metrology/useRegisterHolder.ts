import { reactive } from 'vue'
import { useEnterprisePrefill } from '@/composables/useEnterprisePrefill'
import { useSession } from '@/composables/useSession'

/**
 * What opening the enterprise's register asks, prefilled as its demand form is; the credit code
 * is the token's act.
 */
export function useRegisterHolder() {
  const session = useSession()
  const model = reactive({ name: '', contact: '', phone: '', park: '' })

  const prefill = useEnterprisePrefill(model)

  const body = () => ({
    enterprise: {
      name: model.name.trim(), credit_code: session.acts.value.enterprise ?? '',
      contact: model.contact.trim(), phone: model.phone.trim(),
    },
    park: model.park.trim(),
  })

  return { model, prefill, body }
}
