import { ref, shallowRef } from 'vue'
import { ApiError, asApiError } from '@/api/errors'
import { uploadFile } from '@/api/files'

export interface EvidenceDocument {
  name: string
  sha256: string
}

/** Evidence files uploaded one by one before the completion names them (by sha256). */
export function useEvidence(upload: (file: File) => Promise<{ name: string; sha256: string }> = uploadFile) {
  const documents = ref<EvidenceDocument[]>([])
  const uploading = ref(0)
  const error = shallowRef<ApiError | null>(null)

  async function add(file: File): Promise<EvidenceDocument | null> {
    uploading.value += 1
    error.value = null
    try {
      const { name, sha256 } = await upload(file)
      const document = { name, sha256 }
      if (!documents.value.some((known) => known.sha256 === sha256)) documents.value = [...documents.value, document]
      return document
    } catch (cause) {
      error.value = asApiError(cause)
      return null
    } finally {
      uploading.value -= 1
    }
  }

  function remove(sha256: string): void {
    documents.value = documents.value.filter((document) => document.sha256 !== sha256)
  }

  return { documents, uploading, error, add, remove }
}
