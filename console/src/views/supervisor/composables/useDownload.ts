import { ref, shallowRef } from 'vue'
import { call } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { filenameOf, saveBlob } from '@/utils/files'

type BlobAnswer = Promise<{ data?: unknown; error?: unknown; response: Response }>

/**
 * Downloads of files the API answers to a signed-in person only (so not a plain link): fetched
 * with the session's token, then handed to the browser under the name the API gives.
 * `busy` is the key of the download under way; `error` the last failure.
 */
export function useDownload() {
  const busy = ref<string | null>(null)
  const error = shallowRef<ApiError | null>(null)

  async function download(key: string, request: () => BlobAnswer, fallbackName: string): Promise<boolean> {
    if (busy.value) return false
    busy.value = key
    error.value = null
    try {
      let disposition: string | null = null
      const data = await call(
        request().then((answer) => {
          disposition = answer.response.headers.get('Content-Disposition')
          return answer
        }),
      )
      const blob = data instanceof Blob ? data : new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })
      saveBlob(blob, filenameOf(disposition, fallbackName))
      return true
    } catch (cause) {
      error.value = asApiError(cause)
      return false
    } finally {
      busy.value = null
    }
  }

  return { busy, error, download }
}
