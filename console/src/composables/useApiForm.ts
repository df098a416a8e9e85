import { computed, ref, shallowRef } from 'vue'
import { ApiError, asApiError } from '@/api/errors'

/**
 * A form that sends to the API: `submit(action)` runs it once at a time and keeps its ApiError;
 * `fieldError('name')` is the API's message for a field (for ElFormItem's `error`); `formError`
 * is the error when it names none of the form's `fields` (shown above the form).
 */
export function useApiForm(fields: readonly string[] = []) {
  const submitting = ref(false)
  const error = shallowRef<ApiError | null>(null)

  async function submit<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (submitting.value) return undefined
    submitting.value = true
    error.value = null
    try {
      return await action()
    } catch (cause) {
      error.value = asApiError(cause)
      return undefined
    } finally {
      submitting.value = false
    }
  }

  return {
    submitting,
    error,
    submit,
    fieldError: (field: string) => error.value?.fieldError(field),
    formError: computed(() =>
      error.value && !fields.some((field) => error.value?.fieldError(field)) ? error.value : null,
    ),
    clear: () => (error.value = null),
  }
}
