import { useI18n } from 'vue-i18n'
import { useApiForm } from '@/composables/useApiForm'
import { translateFieldError } from '../lib/fieldMessages'

/**
 * useApiForm, with the API's field messages (marshmallow's English) in the console's language:
 * `fieldError('title')` is "不能为空" rather than "must not be blank".
 */
export function useEnterpriseForm(fields: readonly string[] = []) {
  const form = useApiForm(fields)
  const { t } = useI18n()
  return {
    ...form,
    fieldError: (field: string) => translateFieldError(form.fieldError(field), (key, values) => t(key, values ?? {})),
  }
}
