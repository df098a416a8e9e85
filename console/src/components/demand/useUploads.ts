import { computed, ref } from 'vue'
import { ApiError } from '@/api/errors'
import { uploadFile, type Attachment } from '@/api/files'

/** What ElUpload's `http-request` hands over (only what is used here). */
export interface UploadRequest {
  file: File & { uid?: number }
}

/**
 * The files uploaded for a form, each first sent to POST /api/v1/attachments: `request` is
 * ElUpload's `http-request`, `remove` its `on-remove`; `sha256s` is what the form sends.
 * `upload` stands in for the network in tests.
 */
export function useUploads(upload: (file: File) => Promise<Attachment> = uploadFile) {
  const uploaded = ref<{ uid: number | string; attachment: Attachment }[]>([])
  const failures = ref<{ name: string; message: string }[]>([])
  const pending = ref(0)

  async function request({ file }: UploadRequest): Promise<Attachment> {
    pending.value++
    try {
      const attachment = await upload(file)
      uploaded.value = [...uploaded.value, { uid: file.uid ?? file.name, attachment }]
      failures.value = failures.value.filter((failure) => failure.name !== file.name)
      return attachment
    } catch (cause) {
      const message = cause instanceof ApiError ? cause.title || cause.message : String(cause)
      failures.value = [...failures.value, { name: file.name, message }]
      throw cause
    } finally {
      pending.value--
    }
  }

  function remove(file: { uid?: number | string; name: string }): void {
    uploaded.value = uploaded.value.filter((entry) => entry.uid !== (file.uid ?? file.name))
  }

  return {
    uploaded,
    failures,
    busy: computed(() => pending.value > 0),
    sha256s: computed(() => [...new Set(uploaded.value.map((entry) => entry.attachment.sha256))]),
    request,
    remove,
    clear: () => {
      uploaded.value = []
      failures.value = []
    },
  }
}
